/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hello: the smallest test kernel.  Boot state sanity (start_info, bss,
 * hypercall page) and one hypercall by the page and one by bare syscall.
 */
#include <guest.h>

static unsigned long bss_probe[512];

void test_main(void)
{
    const struct start_info *si = start_info;
    unsigned int i;
    long v1, v2;

    printk("Hello from a Keel test kernel\n");

    CHECK(strncmp((const char *)si->magic, "xen-3.0-x86_64", 14) == 0,
          "start_info magic '%s'", (const char *)si->magic);
    CHECK(si->flags & SIF_INITDOMAIN, "SIF_INITDOMAIN clear: %x", si->flags);
    CHECK(si->flags & SIF_PRIVILEGED, "SIF_PRIVILEGED clear: %x", si->flags);
    CHECK(si->nr_pages > 0, "nr_pages 0");
    CHECK(si->pt_base >= VIRT_BASE && si->pt_base % PAGE_SIZE == 0,
          "pt_base %lx", si->pt_base);
    CHECK(si->nr_pt_frames >= 4, "nr_pt_frames %lu", si->nr_pt_frames);
    CHECK((unsigned long)si > (unsigned long)_image_end,
          "start_info %p inside the image", (void *)si);

    for (i = 0; i < ARRAY_SIZE(bss_probe); i++)
        if (bss_probe[i])
            report_fail("bss not zero at word %u", i);

    /* The page's stubs are 32 bytes apart and all hypercalls end up alike. */
    v1 = hypercall_xen_version(XENVER_version, NULL);
    v2 = HYPERCALL_RAW2(__HYPERVISOR_xen_version, XENVER_version, 0);
    CHECK(v1 > 0x30000, "xen_version via page: %lx", v1);
    CHECK(v1 == v2, "xen_version page %lx vs syscall %lx", v1, v2);
    printk("Xen %lu.%lu, cmdline '%s'\n", (unsigned long)v1 >> 16,
           (unsigned long)v1 & 0xffff, (const char *)si->cmd_line);
}
