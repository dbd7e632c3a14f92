/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * version: every XENVER_* sub-op a PV kernel reads, the feature bits Linux
 * depends on, and the errors for unknown sub-ops and bad buffers.
 */
#include <guest.h>

#define GUARD 0xa5

/* A string sub-op: NUL-terminated within size, nothing written past it. */
static void check_string(unsigned int cmd, const char *name, size_t size)
{
    static char buf[1024 + 16];
    size_t i;
    long rc;

    memset(buf, GUARD, sizeof(buf));
    rc = hypercall_xen_version(cmd, buf);
    CHECK_RC(name, rc, 0);
    for (i = 0; i < size && buf[i]; i++)
        ;
    CHECK(i < size, "%s: not NUL-terminated in %lu bytes", name, size);
    for (i = size; i < size + 16; i++)
        CHECK((unsigned char)buf[i] == GUARD, "%s: wrote past %lu bytes",
              name, size);
    printk("%s: '%s'\n", name, buf);
}

static void check_features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0 };
    long rc = hypercall_xen_version(XENVER_get_features, &fi);
    uint32_t m = fi.submap;

    CHECK_RC("get_features(0)", rc, 0);
    printk("features submap 0: %#x\n", m);
    CHECK(!(m & (1u << XENFEAT_writable_page_tables)),
          "writable_page_tables set for PV");
    CHECK(!(m & (1u << XENFEAT_auto_translated_physmap)),
          "auto_translated_physmap set for PV");
    CHECK(!(m & (1u << XENFEAT_supervisor_mode_kernel)),
          "supervisor_mode_kernel set");
    CHECK(m & (1u << XENFEAT_mmu_pt_update_preserve_ad),
          "mmu_pt_update_preserve_ad (Linux panics without it)");
    CHECK(m & (1u << XENFEAT_gnttab_map_avail_bits),
          "gnttab_map_avail_bits (Linux panics without it)");
    CHECK(m & (1u << XENFEAT_dom0), "dom0 bit clear for dom0");
    CHECK(!(m & (1u << XENFEAT_hvm_callback_vector)),
          "hvm_callback_vector set for PV");

    fi.submap_idx = XENFEAT_NR_SUBMAPS;
    fi.submap = 0xdeadbeef;
    rc = hypercall_xen_version(XENVER_get_features, &fi);
    CHECK_RC("get_features(NR_SUBMAPS)", rc, -XEN_EINVAL);

    CHECK_RC("get_features(bad ptr)",
             hypercall_xen_version(XENVER_get_features, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC("get_features(hole ptr)",
             hypercall_xen_version(XENVER_get_features, BAD_PTR_HOLE),
             -XEN_EFAULT);
}

static void check_numbers(void)
{
    struct xen_platform_parameters pp = { 0 };
    long rc, ver;

    ver = hypercall_xen_version(XENVER_version, NULL);
    CHECK(ver >= 0x30000, "XENVER_version %#lx", ver);
    /* The argument is ignored: even a bad pointer must not matter. */
    CHECK_RC("version(bad ptr)",
             hypercall_xen_version(XENVER_version, BAD_PTR_UNMAPPED), ver);
    CHECK_RC("pagesize", hypercall_xen_version(XENVER_pagesize, NULL), 4096);

    rc = hypercall_xen_version(XENVER_platform_parameters, &pp);
    CHECK_RC("platform_parameters", rc, 0);
    CHECK(pp.virt_start == HYPERVISOR_VIRT_START,
          "platform_parameters virt_start %#lx", pp.virt_start);
}

static void check_errors(void)
{
    static char tail[16];
    char *page;

    CHECK_RC("unknown sub-op 0x7fff",
             hypercall_xen_version(0x7fff, tail), -XEN_ENOSYS);
    CHECK_RC("unknown sub-op 11",
             hypercall_xen_version(XENVER_build_id + 1, tail), -XEN_ENOSYS);
    CHECK_RC("extraversion(bad ptr)",
             hypercall_xen_version(XENVER_extraversion, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC("capabilities(hole ptr)",
             hypercall_xen_version(XENVER_capabilities, BAD_PTR_HOLE),
             -XEN_EFAULT);
    CHECK_RC("changeset(non-canonical ptr)",
             hypercall_xen_version(XENVER_changeset, BAD_PTR_NONCANON),
             -XEN_EFAULT);
    CHECK_RC("platform_parameters(bad ptr)",
             hypercall_xen_version(XENVER_platform_parameters,
                                   BAD_PTR_UNMAPPED), -XEN_EFAULT);
    /* 1024 bytes written 100 bytes before an unmapped page. */
    page = mm_page_before_hole();
    CHECK_RC("capabilities(runs off the page)",
             hypercall_xen_version(XENVER_capabilities,
                                   page + PAGE_SIZE - 100), -XEN_EFAULT);
}

void test_main(void)
{
    char caps[1024];

    check_numbers();
    check_features();
    check_string(XENVER_extraversion, "extraversion",
                 sizeof(xen_extraversion_t));
    check_string(XENVER_capabilities, "capabilities",
                 sizeof(xen_capabilities_info_t));
    check_string(XENVER_changeset, "changeset", sizeof(xen_changeset_info_t));

    memset(caps, 0, sizeof(caps));
    hypercall_xen_version(XENVER_capabilities, caps);
    caps[sizeof(caps) - 1] = '\0';
    CHECK(strncmp(caps, "xen-3.0-x86_64", 14) == 0,
          "capabilities '%s' lack xen-3.0-x86_64", caps);
    check_errors();
}
