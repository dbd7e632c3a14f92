/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op as Linux's dom0 uses it at boot: XENPF_get_cpuinfo (xen-pcpu,
 * the APIC id), XENPF_firmware_info (EDD, MBR, EFI, keyboard flags), and
 * the interface-version and pointer checks.  Run with -smp 1 on QEMU.
 */
#include <guest.h>

#define BAD_VERSION (XENPF_INTERFACE_VERSION - 1)
#define NO_SUCH_CMD 0x7f
#define KEEP 0x5a5a5a5aU        /* what an op must leave as it was */

static long platform(struct xen_platform_op *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XENPF_INTERFACE_VERSION;
    return hypercall_platform_op(op);
}

static long cpuinfo(struct xenpf_pcpuinfo *info, uint32_t cpu)
{
    struct xen_platform_op op = { 0 };
    long rc;

    op.u.pcpu_info.xen_cpuid = cpu;
    op.u.pcpu_info.apic_id = KEEP;
    op.u.pcpu_info.acpi_id = KEEP;
    rc = platform(&op, XENPF_get_cpuinfo);
    *info = op.u.pcpu_info;
    return rc;
}

static void check_cpuinfo(void)
{
    struct xenpf_pcpuinfo info, past;
    uint32_t max;

    CHECK_RC("get_cpuinfo(0)", cpuinfo(&info, 0), 0);
    max = info.max_present;
    printk("cpu 0: apic %u acpi %u flags %#x, max_present %u\n",
           info.apic_id, info.acpi_id, info.flags, max);
    CHECK_RC("  cpu 0 flags", info.flags, XEN_PCPU_FLAGS_ONLINE);
    CHECK_RC("  xen_cpuid kept", info.xen_cpuid, 0);
    /* QEMU's one CPU: APIC id 0, ACPI processor 0. */
    CHECK_RC("  cpu 0 apic_id", info.apic_id, 0);
    CHECK_RC("  cpu 0 acpi_id", info.acpi_id, 0);
    CHECK_RC("  max_present (-smp 1)", max, 0);

    CHECK_RC("get_cpuinfo(max_present + 1)", cpuinfo(&past, max + 1), 0);
    CHECK_RC("  flags", past.flags, XEN_PCPU_FLAGS_INVALID);
    CHECK_RC("  max_present", past.max_present, max);
    CHECK_RC("  apic_id left as given", past.apic_id, KEEP);
    CHECK_RC("  acpi_id left as given", past.acpi_id, KEEP);
    CHECK_RC("get_cpuinfo(~0)", cpuinfo(&past, ~0U), 0);
    CHECK_RC("  flags", past.flags, XEN_PCPU_FLAGS_INVALID);
}

static long firmware(uint32_t type, uint32_t index,
                     struct xenpf_firmware_info *fw)
{
    struct xen_platform_op op = { 0 };
    long rc;

    op.u.firmware_info.type = type;
    op.u.firmware_info.index = index;
    rc = platform(&op, XENPF_firmware_info);
    *fw = op.u.firmware_info;
    return rc;
}

/* What Xen answers under QEMU without disks, EDID or EFI. */
static void check_firmware_info(void)
{
    struct xenpf_firmware_info fw;

    CHECK_RC("firmware_info(KBD_SHIFT_FLAGS)",
             firmware(XEN_FW_KBD_SHIFT_FLAGS, 0, &fw), 0);
    printk("keyboard shift flags %#x\n", fw.u.kbd_shift_flags);
    CHECK_RC("firmware_info(KBD_SHIFT_FLAGS, index 1)",
             firmware(XEN_FW_KBD_SHIFT_FLAGS, 1, &fw), -XEN_ESRCH);
    CHECK_RC("firmware_info(DISK_INFO)", firmware(XEN_FW_DISK_INFO, 0, &fw),
             -XEN_ESRCH);
    CHECK_RC("firmware_info(DISK_MBR_SIGNATURE)",
             firmware(XEN_FW_DISK_MBR_SIGNATURE, 0, &fw), -XEN_ESRCH);
    CHECK_RC("firmware_info(VBEDDC_INFO)",
             firmware(XEN_FW_VBEDDC_INFO, 0, &fw), -XEN_ESRCH);
    CHECK_RC("firmware_info(EFI_INFO)", firmware(XEN_FW_EFI_INFO, 0, &fw),
             -XEN_ENOSYS);
    CHECK_RC("firmware_info(type 0)", firmware(0, 0, &fw), -XEN_EINVAL);
    CHECK_RC("firmware_info(type 99)", firmware(99, 0, &fw), -XEN_EINVAL);
}

static void check_checks(void)
{
    struct xen_platform_op op = { 0 };

    op.cmd = XENPF_get_cpuinfo;
    op.interface_version = BAD_VERSION;
    CHECK_RC("get_cpuinfo(bad interface_version)",
             hypercall_platform_op(&op), -XEN_EACCES);
    op.cmd = NO_SUCH_CMD;
    CHECK_RC("unknown cmd (bad interface_version)",
             hypercall_platform_op(&op), -XEN_EACCES);
    CHECK_RC("unknown cmd", platform(&op, NO_SUCH_CMD), -XEN_ENOSYS);
    CHECK_RC("platform_op(bad pointer)",
             hypercall_platform_op(BAD_PTR_UNMAPPED), -XEN_EFAULT);
    CHECK_RC("platform_op(pointer in the hole)",
             hypercall_platform_op(BAD_PTR_HOLE), -XEN_EFAULT);
}

void test_main(void)
{
    check_checks();
    check_cpuinfo();
    check_firmware_info();
}
