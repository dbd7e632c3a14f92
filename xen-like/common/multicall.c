/* SPDX-License-Identifier: GPL-2.0-only */
/* multicall: a batch of hypercalls, each result stored in its entry. */
#include <hv/abi.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <asm/pv/hypercall.h>

long do_multicall(unsigned long list, unsigned long nr)
{
    struct multicall_entry e;
    unsigned int i;

    for (i = 0; i < (unsigned int)nr; i++) {
        struct multicall_entry *g = (struct multicall_entry *)list + i;
        unsigned long args[5];
        long rc;

        if (copy_from_guest(&e, g, sizeof(e)))
            return -XEN_EFAULT;
        memcpy(args, e.args, sizeof(args));
        /* No nesting, and iret changes the frame: neither in a batch. */
        if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret)
            rc = -XEN_EINVAL;
        else if ((rc = hypercall_dispatch(e.op, args)) == NO_SUCH_HYPERCALL)
            rc = -XEN_ENOSYS;
        e.result = rc;
        if (copy_to_guest(&g->result, &e.result, sizeof(e.result)))
            return -XEN_EFAULT;
    }
    return 0;
}
