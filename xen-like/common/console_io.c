/* SPDX-License-Identifier: GPL-2.0-only */
/* console_io: dom0 writes to and reads from Keel's console (COM1). */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

#define CHUNK 128

static long console_write(unsigned long buf, unsigned long count)
{
    char chunk[CHUNK];
    unsigned long done = 0;

    while (done < count) {
        size_t n = MIN(count - done, (unsigned long)CHUNK);

        if (copy_from_guest(chunk, (const char *)buf + done, n))
            return -XEN_EFAULT;
        console_write_guest(chunk, n);
        done += n;
    }
    return 0;
}

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buf)
{
    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    count = (unsigned int)count;       /* the ABI's count is an int */
    switch (cmd) {
    case CONSOLEIO_write:
        return console_write(buf, count);
    case CONSOLEIO_read:
        return console_input_read((void *)buf, count);
    default:
        return -XEN_ENOSYS;
    }
}
