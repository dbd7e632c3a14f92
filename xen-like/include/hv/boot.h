/* SPDX-License-Identifier: GPL-2.0-only */
/* What the boot loader told us (arch/x86/boot/mbi.c), in one neutral form. */
#ifndef HV_BOOT_H
#define HV_BOOT_H

/* The magic values in %eax at entry from a Multiboot 1 or 2 loader. */
#define MBI_MAGIC_MB1       0x2BADB002
#define MBI_MAGIC_MB2       0x36d76289

#ifndef __ASSEMBLY__
#include <hv/types.h>

/* Memory map entry types, as in the E820 map (and the Multiboot maps). */
#define E820_RAM            1
#define E820_RESERVED       2
#define E820_ACPI           3
#define E820_NVS            4
#define E820_UNUSABLE       5

#define BOOT_MAX_MMAP       128
#define BOOT_MAX_MODS       16

struct boot_mem_range {
    uint64_t start, len;
    uint32_t type;              /* E820_*, or the loader's raw value */
};

struct boot_module {
    paddr_t start, end;         /* end is exclusive */
    char cmdline[256];
};

/* Strings are always NUL-terminated, and truncated to fit. */
struct boot_info {
    unsigned int proto;         /* 1 or 2: which Multiboot */
    char cmdline[1024];
    char loader[64];
    unsigned int nr_mmap;
    struct boot_mem_range mmap[BOOT_MAX_MMAP];
    unsigned int nr_mods;
    struct boot_module mods[BOOT_MAX_MODS];
    uint32_t mem_lower_kb, mem_upper_kb;
    bool has_rsdp;
    uint8_t rsdp[36];           /* from the ACPI new tag, else the old one */
};

/*
 * Fills *bi from the information a Multiboot loader left at info_pa.
 * map(pa, len) returns a readable pointer to that physical range, or NULL.
 * Returns 0, or -XEN_EINVAL for a bad magic or malformed information;
 * extra memory ranges or modules beyond the limits are dropped (with a
 * warning).  Zero-length memory ranges are left out.
 */
int mbi_parse(uint32_t magic, paddr_t info_pa,
              const void *(*map)(paddr_t pa, size_t len),
              struct boot_info *bi);

/* "usable", "reserved", "ACPI data", "ACPI NVS", "unusable" or "unknown". */
const char *mbi_mem_type_name(uint32_t type);

/* setup.c: what the loader gave Keel, kept for dom0 (memory map). */
const struct boot_info *keel_boot_info(void);

#endif /* __ASSEMBLY__ */
#endif
