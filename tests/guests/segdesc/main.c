/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * segdesc: set_segment_base (FS, kernel GS), set_gdt and update_descriptor
 * (DPL forced to 3, system descriptors refused, writable frames refused),
 * and loading a selector from the guest's own GDT.
 */
#include <guest.h>

/* Flat 64-bit data segment, present, writable; DPL in bits 45-46. */
#define DESC_DATA(dpl) (0x00cf92000000ffffUL | ((uint64_t)(dpl) << 45))
#define DESC_TSS64 0x0000890000000067UL   /* a system descriptor */

static uint64_t fs_buf[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };
static uint64_t gs_buf[4] = { 0xaaaa, 0xbbbb, 0xcccc, 0xdddd };

static void check_segbase(void)
{
    uint64_t v;

    CHECK_RC("SEGBASE_FS", hypercall_set_segment_base(SEGBASE_FS,
                                                      (unsigned long)fs_buf),
             0);
    asm volatile("movq %%fs:8, %0" : "=r"(v));
    CHECK(v == 0x2222, "fs:8 reads %#lx", (unsigned long)v);
    CHECK_RC("SEGBASE_GS_KERNEL",
             hypercall_set_segment_base(SEGBASE_GS_KERNEL,
                                        (unsigned long)gs_buf), 0);
    asm volatile("movq %%gs:16, %0" : "=r"(v));
    CHECK(v == 0xcccc, "gs:16 reads %#lx", (unsigned long)v);
    CHECK_RC("SEGBASE_GS_USER", hypercall_set_segment_base(SEGBASE_GS_USER,
                                                           0x1000), 0);
    CHECK_RC("SEGBASE_GS_USER_SEL(0)",
             hypercall_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
    CHECK_RC("SEGBASE_FS(non-canonical)",
             hypercall_set_segment_base(SEGBASE_FS, 0x8000000000000000UL),
             -XEN_EINVAL);
    CHECK_RC("unknown segment", hypercall_set_segment_base(4, 0),
             -XEN_EINVAL);
    hypercall_set_segment_base(SEGBASE_FS, 0);
    hypercall_set_segment_base(SEGBASE_GS_KERNEL, 0);
}

static void check_gdt(void)
{
    uint64_t *gdt = mm_alloc_page();
    unsigned long va = (unsigned long)gdt;
    unsigned long mfn = mm_va_to_mfn(va);
    xen_pfn_t frames[1] = { mfn };
    uint64_t maddr = (uint64_t)mfn << PAGE_SHIFT;
    uint64_t ro = (mfn << PAGE_SHIFT) | PTE_P | PTE_A;
    uint16_t sel = (1 << 3) | 3, got;

    CHECK_RC("set_gdt(writable frame)", hypercall_set_gdt(frames, 512),
             -XEN_EINVAL);
    CHECK_RC("make the GDT page read-only",
             hypercall_update_va_mapping(va, ro, UVMF_INVLPG), 0);
    CHECK_RC("set_gdt(too many entries)", hypercall_set_gdt(frames, 8193),
             -XEN_EINVAL);
    CHECK_RC("set_gdt(bad list)", hypercall_set_gdt(BAD_PTR_UNMAPPED, 512),
             -XEN_EFAULT);
    CHECK_RC("set_gdt", hypercall_set_gdt(frames, 512), 0);

    CHECK_RC("update_descriptor(data, DPL 0)",
             hypercall_update_descriptor(maddr + 8, DESC_DATA(0)), 0);
    CHECK(((READ_ONCE(gdt[1]) >> 45) & 3) == 3,
          "DPL not forced to 3: %#lx", (unsigned long)gdt[1]);
    CHECK_RC("update_descriptor(TSS)",
             hypercall_update_descriptor(maddr + 16, DESC_TSS64),
             -XEN_EINVAL);
    CHECK_RC("update_descriptor(misaligned)",
             hypercall_update_descriptor(maddr + 4, DESC_DATA(3)),
             -XEN_EINVAL);
    CHECK_RC("update_descriptor(page table)",
             hypercall_update_descriptor(
                 (uint64_t)mm_va_to_mfn(start_info->pt_base) << PAGE_SHIFT,
                 DESC_DATA(3)), -XEN_EINVAL);

    asm volatile("mov %1, %%ds; mov %%ds, %0; mov %2, %%ds"
                 : "=r"(got)
                 : "r"(sel), "r"(0));
    CHECK(got == sel, "ds reads %#x after loading %#x", got, sel);
}

/*
 * An LDT from MMUEXT_SET_LDT: its page must be read-only (it becomes a
 * descriptor page when first used), and a selector with TI set loads the
 * descriptor from it; the hypervisor maps the page on that first use.
 */
static void check_ldt(void)
{
    uint64_t *ldt = mm_alloc_page();
    uint16_t sel = (1 << 3) | 4 | 3, got;

    ldt[1] = 0x00cff3000000ffffUL;          /* flat data, DPL 3 */
    CHECK_RC("LDT page read-only",
             mm_set_flags((unsigned long)ldt, PTE_P | PTE_A), 0);
    CHECK_RC("SET_LDT(page, 2)",
             mm_mmuext(MMUEXT_SET_LDT, (unsigned long)ldt, 2), 0);
    /* The hypervisor reads this LDT entry before the CPU ever did. */
    CHECK_RC("SEGBASE_GS_USER_SEL(LDT selector, page not yet used)",
             hypercall_set_segment_base(SEGBASE_GS_USER_SEL, sel), 0);
    __asm__ __volatile__("mov %1, %%es; mov %%es, %0"
                         : "=r"(got) : "r"(sel) : "memory");
    CHECK(got == sel, "loaded %%es = %#x from the LDT, expected %#x", got, sel);
    __asm__ __volatile__("mov %0, %%es" : : "r"(0));
    CHECK_RC("SET_LDT(0, 0)", mm_mmuext(MMUEXT_SET_LDT, 0, 0), 0);
    CHECK_RC("LDT page writable again",
             mm_set_flags((unsigned long)ldt, PTE_P | PTE_RW | PTE_A | PTE_D),
             0);
}

void test_main(void)
{
    check_segbase();
    check_gdt();
    check_ldt();
}
