/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV kernel images: a 64-bit x86-64 ELF executable carrying Xen ELF notes
 * (public/elfnote.h).  The image is untrusted; every read is bounds-checked.
 */
#ifndef HV_ELF_H
#define HV_ELF_H

#include <hv/types.h>
#include <hv/abi.h>

#define ELF_MAX_SEGMENTS    16

/* One loadable (PT_LOAD) segment, as the program header gave it. */
struct elf_segment {
    uint64_t paddr, vaddr;          /* load by paddr; vaddr may be 0 */
    uint64_t offset, filesz, memsz; /* bytes [offset, offset+filesz) */
    uint32_t flags;                 /* PF_X 1, PF_W 2, PF_R 4 */
};

/*
 * What a Xen PV kernel asks of its builder.  Addresses are guest virtual
 * unless named p*: a segment at paddr p runs at p + virt_base - paddr_offset.
 */
struct xen_elf_info {
    uint64_t entry;                 /* ENTRY note, else e_entry */
    uint64_t virt_base;             /* VIRT_BASE note, else 0 */
    uint64_t paddr_offset;          /* PADDR_OFFSET note, else 0 */
    uint64_t hypercall_page;        /* valid if has_hypercall_page */
    bool has_hypercall_page;
    uint64_t init_p2m;              /* valid if has_init_p2m */
    bool has_init_p2m;
    bool mod_start_pfn;             /* initrd unmapped, passed by PFN */
    bool suspend_cancel;
    char guest_os[32], guest_version[32], xen_version[32], loader[32];

    /* FEATURES string: '!' = required (also counted as supported). */
    uint32_t features_required[XENFEAT_NR_SUBMAPS];
    /* FEATURES string names ORed with the SUPPORTED_FEATURES bitmap. */
    uint32_t features_supported[XENFEAT_NR_SUBMAPS];
    bool has_supported_features_note;
    uint32_t supported_features_note;

    uint64_t pstart, pend;          /* lowest paddr, highest paddr+memsz */
    uint64_t virt_kstart, virt_kend;

    unsigned int nr_segments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Parses and checks img[0, size).  Returns 0 with *info filled, or
 * -XEN_EINVAL after one pr_err line naming the cause, with *info zeroed.
 */
int elf_parse_xen(const void *img, size_t size, struct xen_elf_info *info);

/*
 * Refuses (-XEN_EINVAL) a kernel that requires a feature not in hv_features,
 * or whose SUPPORTED_FEATURES note exists without XENFEAT_dom0.
 * hv_features (XENFEAT_NR_SUBMAPS words) is what the hypervisor can honour
 * for a PV guest, which is not the XENVER_get_features answer: Linux's
 * "!writable_page_tables" is honoured by emulating page-table writes while
 * XENFEAT_writable_page_tables itself stays clear for PV.
 */
int elf_check_dom0(const struct xen_elf_info *info,
                   const uint32_t *hv_features);

/*
 * Loads the segments of an image elf_parse_xen() accepted: copy() gets each
 * segment's file bytes at its paddr, zero() the memsz - filesz tail.  The
 * callbacks must check the destination themselves.  Checks every segment
 * against [0, size) before the first callback; -XEN_EINVAL if one fails.
 */
int elf_load_segments(const void *img, size_t size,
                      const struct xen_elf_info *info,
                      void (*copy)(void *ctx, uint64_t paddr, const void *src,
                                   size_t len),
                      void (*zero)(void *ctx, uint64_t paddr, size_t len),
                      void *ctx);

#endif
