/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op (dom0 only): what dom0 learns about the physical machine
 * (XENPF_get_cpuinfo, XENPF_firmware_info) and asks of it.
 */
#include <hv/abi.h>
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

_Static_assert(sizeof(struct xen_platform_op) == 8 + 128,
               "xen_platform_op layout");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "xenpf_pcpuinfo layout");

/*
 * The ACPI processor id of cpu: its place among the MADT's enabled
 * processors (QEMU numbers them 0, 1, ... in that order; Keel keeps no
 * ids of its own), or the cpu index without ACPI.
 */
static uint32_t acpi_processor_id(unsigned int cpu)
{
    unsigned int i;

    for (i = 0; i < acpi_info.nr_cpus; i++)
        if (acpi_info.apic_ids[i] == cpu_apic_id[cpu])
            return i;
    return cpu;
}

/*
 * XENPF_get_cpuinfo: Keel's present CPUs are the online ones (a CPU that
 * did not start gets no index).  As in Xen, a CPU that is not present is
 * 0 with XEN_PCPU_FLAGS_INVALID and apic_id/acpi_id left as given.
 */
static long platform_cpuinfo(struct xen_platform_op *op,
                             struct xen_platform_op *uop)
{
    struct xenpf_pcpuinfo *info = &op->u.pcpu_info;
    unsigned int cpu = info->xen_cpuid, i;

    info->max_present = 0;
    for (i = 0; i < NR_CPUS; i++)
        if (ACCESS_ONCE(cpu_online[i]))
            info->max_present = i;
    if (cpu < NR_CPUS && ACCESS_ONCE(cpu_online[cpu])) {
        info->apic_id = cpu_apic_id[cpu];
        info->acpi_id = acpi_processor_id(cpu);
        info->flags = XEN_PCPU_FLAGS_ONLINE;
    } else {
        info->flags = XEN_PCPU_FLAGS_INVALID;
    }
    return copy_to_guest(&uop->u.pcpu_info, info, sizeof(*info));
}

/*
 * XENPF_firmware_info: Xen collects these from BIOS calls at boot; Keel
 * makes none, so it answers as Xen does without the data: no EDD disk,
 * MBR signature or EDID record (-XEN_ESRCH), not an EFI boot
 * (-XEN_ENOSYS), and no shift key held.
 */
static long platform_firmware_info(struct xen_platform_op *op,
                                   struct xen_platform_op *uop)
{
    struct xenpf_firmware_info *fw = &op->u.firmware_info;

    switch (fw->type) {
    case XEN_FW_DISK_INFO:
    case XEN_FW_DISK_MBR_SIGNATURE:
    case XEN_FW_VBEDDC_INFO:
        return -XEN_ESRCH;
    case XEN_FW_EFI_INFO:
        return -XEN_ENOSYS;
    case XEN_FW_KBD_SHIFT_FLAGS:
        if (fw->index != 0)
            return -XEN_ESRCH;
        fw->u.kbd_shift_flags = 0;
        return copy_to_guest(&uop->u.firmware_info.u.kbd_shift_flags,
                             &fw->u.kbd_shift_flags,
                             sizeof(fw->u.kbd_shift_flags));
    default:
        return -XEN_EINVAL;
    }
}

/*
 * Returns 0 or -XEN_EFAULT (bad op), -XEN_EACCES (interface_version is
 * not XENPF_INTERFACE_VERSION), -XEN_EPERM (not dom0), or what the
 * sub-op returns.  -XEN_ENOSYS, as for any op not listed, for:
 * - XENPF_settime64/settime32: Keel's wallclock is the RTC read at boot
 *   (pv/time.c) and there is no way yet to move it; Linux ignores it.
 * - XENPF_enter_acpi_sleep: Linux then powers off by SCHEDOP_shutdown.
 */
long do_platform_op(unsigned long arg)
{
    struct xen_platform_op op, *uop = (struct xen_platform_op *)arg;
    static uint64_t reported;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -XEN_EACCES;
    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    switch (op.cmd) {
    case XENPF_get_cpuinfo:
        return platform_cpuinfo(&op, uop);
    case XENPF_firmware_info:
        return platform_firmware_info(&op, uop);
    default:
        if (log_once(&reported, op.cmd))
            pr_info("d%u: platform_op %u not implemented: -ENOSYS\n",
                    current->domain->domain_id, op.cmd);
        return -XEN_ENOSYS;
    }
}
