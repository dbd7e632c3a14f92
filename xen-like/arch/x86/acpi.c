/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI, read-only: the RSDP (from multiboot2 or the BIOS areas), then the
 * MADT (CPUs, IO-APICs), HPET, MCFG and FADT (+ the \_S5 package of the
 * DSDT).
 * Tables are read through the direct map; every length is checked.
 */
#include <hv/acpi.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/abi.h>

#define MAX_TABLE_LEN   (16UL << 20)

struct acpi_rsdp {
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
} __packed;

struct acpi_hdr {
    char sig[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem[6];
    char oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __packed;

struct acpi_info acpi_info;

static uint8_t checksum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (n--)
        sum += *b++;
    return sum;
}

/* Only the first 4 GiB and RAM are direct-mapped; tables live there. */
static const void *acpi_map(paddr_t pa, size_t len)
{
    paddr_t limit = MAX((paddr_t)max_page << PAGE_SHIFT, (paddr_t)4 << 30);

    if (!pa || pa + len < pa || pa + len > limit)
        return NULL;
    return maddr_to_virt(pa);
}

static const struct acpi_hdr *map_table(paddr_t pa)
{
    const struct acpi_hdr *h = acpi_map(pa, sizeof(*h));

    if (!h || h->length < sizeof(*h) || h->length > MAX_TABLE_LEN ||
        !acpi_map(pa, h->length) || checksum(h, h->length)) {
        pr_warn("ACPI: bad table at %#lx, ignored\n", (unsigned long)pa);
        return NULL;
    }
    return h;
}

static bool rsdp_valid(const struct acpi_rsdp *r)
{
    if (memcmp(r->sig, "RSD PTR ", 8) || checksum(r, 20))
        return false;
    return r->revision < 2 || checksum(r, sizeof(*r)) == 0;
}

static const struct acpi_rsdp *scan_rsdp(paddr_t start, size_t len)
{
    paddr_t pa;

    for (pa = start; pa + sizeof(struct acpi_rsdp) <= start + len; pa += 16) {
        const struct acpi_rsdp *r = acpi_map(pa, sizeof(*r));

        if (r && rsdp_valid(r)) {
            acpi_info.rsdp = pa;
            return r;
        }
    }
    return NULL;
}

static const struct acpi_rsdp *find_rsdp(const struct boot_info *bi)
{
    const uint16_t *ebda_seg = acpi_map(0x40e, 2);
    const struct acpi_rsdp *r;

    if (bi->has_rsdp && rsdp_valid((const void *)bi->rsdp))
        return (const void *)bi->rsdp;
    if (ebda_seg && *ebda_seg && (r = scan_rsdp((paddr_t)*ebda_seg << 4, 1024)))
        return r;
    return scan_rsdp(0xe0000, 0x20000);
}

static void madt_add_cpu(uint32_t apic_id, uint32_t flags)
{
    if (!(flags & 1))
        return;                 /* disabled */
    if (apic_id > 0xfe) {
        pr_warn("ACPI: CPU with APIC id %u needs x2APIC, ignored\n", apic_id);
        return;
    }
    if (acpi_info.nr_cpus == NR_CPUS) {
        pr_warn("ACPI: more than %u CPUs, APIC id %u ignored\n", NR_CPUS,
                apic_id);
        return;
    }
    acpi_info.apic_ids[acpi_info.nr_cpus++] = apic_id;
}

static void madt_add_ioapic(const uint8_t *e)
{
    struct acpi_ioapic *io = &acpi_info.ioapics[acpi_info.nr_ioapics];
    uint32_t addr, gsi;

    if (acpi_info.nr_ioapics == MAX_IOAPICS) {
        pr_warn("ACPI: more than %u IO-APICs\n", MAX_IOAPICS);
        return;
    }
    memcpy(&addr, e + 4, 4);
    memcpy(&gsi, e + 8, 4);
    io->id = e[2];
    io->addr = addr;
    io->gsi_base = gsi;
    acpi_info.nr_ioapics++;
}

static void madt_add_override(const uint8_t *e)
{
    struct acpi_override *o = &acpi_info.overrides[acpi_info.nr_overrides];

    if (e[2] != 0)
        return;                 /* only bus 0, ISA, is defined */
    if (acpi_info.nr_overrides == MAX_OVERRIDES) {
        pr_warn("ACPI: more than %u interrupt overrides\n", MAX_OVERRIDES);
        return;
    }
    o->isa_irq = e[3];
    memcpy(&o->gsi, e + 4, 4);
    memcpy(&o->flags, e + 8, 2);
    acpi_info.nr_overrides++;
}

static void parse_madt_entry(const uint8_t *e)
{
    uint32_t u32, flags;
    uint64_t u64;

    switch (e[0]) {
    case 0:                     /* processor local APIC */
        memcpy(&flags, e + 4, 4);
        madt_add_cpu(e[3], flags);
        break;
    case 1:                     /* IO-APIC */
        if (e[1] >= 12)
            madt_add_ioapic(e);
        break;
    case 2:                     /* interrupt source override */
        if (e[1] >= 10)
            madt_add_override(e);
        break;
    case 5:                     /* local APIC address override */
        if (e[1] >= 12) {
            memcpy(&u64, e + 4, 8);
            acpi_info.lapic_addr = u64;
        }
        break;
    case 9:                     /* processor local x2APIC */
        if (e[1] >= 16) {
            memcpy(&u32, e + 4, 4);
            memcpy(&flags, e + 8, 4);
            madt_add_cpu(u32, flags);
        }
        break;
    }
}

static void parse_madt(const struct acpi_hdr *h)
{
    const uint8_t *p = (const uint8_t *)h, *end = p + h->length;
    uint32_t lapic;

    if (h->length < 44)
        return;
    memcpy(&lapic, p + 36, 4);
    acpi_info.lapic_addr = lapic;
    for (p += 44; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1])
        parse_madt_entry(p);
}

static void parse_hpet(const struct acpi_hdr *h)
{
    uint64_t addr;

    if (h->length < 56)
        return;
    memcpy(&addr, (const uint8_t *)h + 44, 8);
    acpi_info.hpet_addr = addr;
}

/* MCFG: 8 reserved bytes, then 16-byte entries: base, segment, buses. */
static void parse_mcfg(const struct acpi_hdr *h)
{
    const uint8_t *p = (const uint8_t *)h + sizeof(*h) + 8;
    const uint8_t *end = (const uint8_t *)h + h->length;
    uint64_t base;
    uint16_t seg;

    for (; p + 16 <= end; p += 16) {
        memcpy(&base, p, 8);
        memcpy(&seg, p + 8, 2);
        /* Keel's PCI is segment 0; ECAM needs 1 MiB alignment per bus. */
        if (seg || !base || (base & 0xfffff) || p[10] > p[11])
            continue;
        acpi_info.mmcfg_base = base;
        acpi_info.mmcfg_bus_start = p[10];
        acpi_info.mmcfg_bus_end = p[11];
        return;
    }
}

/* Reads \_S5's SLP_TYP values: Name(_S5_, Package(){a, b, ...}). */
static void find_s5(const struct acpi_hdr *dsdt)
{
    const uint8_t *p = (const uint8_t *)dsdt + sizeof(*dsdt);
    const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;
    uint8_t val[2];
    unsigned int i;

    for (; p + 12 <= end; p++) {
        if (memcmp(p, "_S5_", 4) || p[4] != 0x12)
            continue;
        p += 5;                         /* PackageOp */
        p += 1 + (*p >> 6);             /* PkgLength */
        p++;                            /* NumElements */
        for (i = 0; i < 2 && p < end; i++) {
            if (*p == 0x0a && p + 1 < end)  /* BytePrefix */
                p++;
            val[i] = *p++ & 7;
        }
        if (i < 2)
            return;
        acpi_info.slp_typa_s5 = val[0];
        acpi_info.slp_typb_s5 = val[1];
        acpi_info.have_s5 = true;
        return;
    }
}

static void parse_fadt(const struct acpi_hdr *h)
{
    const uint8_t *p = (const uint8_t *)h;
    uint32_t dsdt32, pm1a, pm1b, flags;
    uint64_t dsdt = 0;
    const struct acpi_hdr *d;

    if (h->length < 116)
        return;
    memcpy(&dsdt32, p + 40, 4);
    memcpy(&pm1a, p + 64, 4);
    memcpy(&pm1b, p + 68, 4);
    memcpy(&flags, p + 112, 4);
    acpi_info.pm1a_cnt = pm1a;
    acpi_info.pm1b_cnt = pm1b;
    if (h->length >= 129 && (flags & (1u << 10))) {
        acpi_info.have_reset_reg = true;
        acpi_info.reset_space = p[116];
        memcpy(&acpi_info.reset_addr, p + 120, 8);
        acpi_info.reset_value = p[128];
    }
    if (h->length >= 148)
        memcpy(&dsdt, p + 140, 8);
    if (!dsdt)
        dsdt = dsdt32;
    if ((d = map_table(dsdt)))
        find_s5(d);
}

static void parse_table(paddr_t pa)
{
    const struct acpi_hdr *h = map_table(pa);

    if (!h)
        return;
    if (!memcmp(h->sig, "APIC", 4))
        parse_madt(h);
    else if (!memcmp(h->sig, "HPET", 4))
        parse_hpet(h);
    else if (!memcmp(h->sig, "FACP", 4))
        parse_fadt(h);
    else if (!memcmp(h->sig, "MCFG", 4))
        parse_mcfg(h);
}

static void walk_sdt(const struct acpi_hdr *sdt, size_t entry_size)
{
    const uint8_t *p = (const uint8_t *)(sdt + 1);
    size_t n = (sdt->length - sizeof(*sdt)) / entry_size, i;

    for (i = 0; i < n; i++) {
        uint64_t pa = 0;

        memcpy(&pa, p + i * entry_size, entry_size);
        parse_table(pa);
    }
}

static void print_summary(void)
{
    unsigned int i;

    pr_info("ACPI: %u CPUs enabled, local APIC at %#lx\n", acpi_info.nr_cpus,
            (unsigned long)acpi_info.lapic_addr);
    for (i = 0; i < acpi_info.nr_ioapics; i++)
        pr_info("ACPI: IO-APIC %u at %#lx, GSI base %u\n",
                acpi_info.ioapics[i].id,
                (unsigned long)acpi_info.ioapics[i].addr,
                acpi_info.ioapics[i].gsi_base);
    pr_info("ACPI: %u interrupt overrides, HPET %s%#lx, S5 %s\n",
            acpi_info.nr_overrides, acpi_info.hpet_addr ? "at " : "none ",
            (unsigned long)acpi_info.hpet_addr,
            acpi_info.have_s5 ? "known" : "unknown");
    if (acpi_info.mmcfg_base)
        pr_info("ACPI: MMCONFIG at %#lx, buses %02x-%02x\n",
                (unsigned long)acpi_info.mmcfg_base,
                acpi_info.mmcfg_bus_start, acpi_info.mmcfg_bus_end);
}

int acpi_init(const struct boot_info *bi)
{
    const struct acpi_rsdp *r = find_rsdp(bi);
    const struct acpi_hdr *sdt = NULL;

    if (!r) {
        pr_warn("ACPI: no RSDP found\n");
        return -XEN_ENODEV;
    }
    if (r->revision >= 2 && r->xsdt && (sdt = map_table(r->xsdt)))
        walk_sdt(sdt, 8);
    else if ((sdt = map_table(r->rsdt)))
        walk_sdt(sdt, 4);
    pr_info("ACPI: RSDP rev %u, %s at %#lx\n", r->revision,
            sdt && r->revision >= 2 && r->xsdt ? "XSDT" : "RSDT",
            (unsigned long)(sdt ? virt_to_maddr(sdt) : 0));
    print_summary();
    return acpi_info.nr_cpus ? 0 : -XEN_ENODEV;
}
