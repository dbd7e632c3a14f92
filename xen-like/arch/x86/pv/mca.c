/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mca hypercall (public/arch-x86/xen-mca.h), dom0 only: the physical
 * CPUs for Linux's xen-mcelog, and an always-empty telemetry fetch: Keel
 * does not handle machine checks yet, so it never raises VIRQ_MCA.
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <asm/processor.h>
#include <asm/pv/hypercall.h>

static void describe_cpu(unsigned int cpu, struct mcinfo_logical_cpu *c)
{
    struct cpuid_regs r;

    memset(c, 0, sizeof(*c));
    c->mc_cpunr = cpu;
    c->mc_apicid = cpu_apic_id[cpu];
    c->mc_ncores = c->mc_ncores_active = c->mc_nthreads = 1;
    cpuid(0, &r);
    c->mc_cpuid_level = r.eax;
    memcpy(c->mc_vendorid, &r.ebx, 4);
    memcpy(c->mc_vendorid + 4, &r.edx, 4);
    memcpy(c->mc_vendorid + 8, &r.ecx, 4);
    cpuid(1, &r);
    c->mc_family = (r.eax >> 8) & 0xf;
    c->mc_model = (r.eax >> 4) & 0xf;
    c->mc_step = r.eax & 0xf;
}

/* With no buffer: how many CPUs; else up to ncpus entries. */
static long physcpuinfo(struct xen_mc_physcpuinfo *p)
{
    struct mcinfo_logical_cpu c;
    unsigned int cpu, n = 0;

    if (!p->info.p) {
        p->ncpus = nr_cpus_online;
        return 0;
    }
    for (cpu = 0; cpu < NR_CPUS && n < p->ncpus; cpu++) {
        if (!cpu_online[cpu])
            continue;
        describe_cpu(cpu, &c);
        if (copy_to_guest(p->info.p + n, &c, sizeof(c)))
            return -XEN_EFAULT;
        n++;
    }
    p->ncpus = n;
    return 0;
}

long do_mca(unsigned long arg)
{
    static uint64_t reported;
    struct xen_mc op;
    long rc;

    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    if (copy_from_guest(&op, (const void *)arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_MCA_INTERFACE_VERSION)
        return -XEN_EACCES;
    switch (op.cmd) {
    case XEN_MC_physcpuinfo:
        rc = physcpuinfo(&op.u.mc_physcpuinfo);
        break;
    case XEN_MC_fetch:
        op.u.mc_fetch.flags = XEN_MC_NODATA;    /* nothing was ever seen */
        rc = 0;
        break;
    default:
        if (log_once(&reported, op.cmd))
            pr_warn("d%u: mca command %u not implemented: -ENOSYS\n",
                    current->domain->domain_id, op.cmd);
        return -XEN_ENOSYS;
    }
    if (!rc && copy_to_guest((void *)arg, &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}
