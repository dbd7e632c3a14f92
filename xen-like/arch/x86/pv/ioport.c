/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Port I/O of a PV guest, emulated by emul_priv.c: who may (the virtual
 * IOPL, or the I/O bitmap of PHYSDEVOP_set_iobitmap), which ports stay
 * Keel's, and dom0's PCI configuration space behind 0xcf8/0xcfc (and, for
 * ptwr.c, behind MMCONFIG).
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/serial.h>
#include <asm/io.h>
#include <asm/pci.h>
#include <asm/processor.h>
#include <asm/pv/emulate.h>
#include <asm/pv/msi.h>

#define IO_PORTS            0x10000u
#define CF8_ENABLE          0x80000000u

/* Virtual IOPL (0-3) against the guest kernel's ring 1, or user ring 3. */
bool pv_iopl_ok(const struct vcpu *v)
{
    return v->arch.iopl >= (v->arch.kernel_mode ? 1u : 3u);
}

/*
 * The bitmap lives in the guest kernel (Linux: its TSS), which a user-mode
 * vCPU's page table does not map: read it through the kernel's.
 */
static int read_kernel(const struct vcpu *v, void *dst, unsigned long va,
                       size_t n)
{
    bool user = !v->arch.kernel_mode;
    int rc;

    if (user)
        write_cr3(mfn_x(v->arch.guest_table) << PAGE_SHIFT);
    rc = copy_from_guest(dst, (const void *)va, n);
    if (user)
        write_cr3(mfn_x(v->arch.guest_table_user) << PAGE_SHIFT);
    return rc;
}

/* As the TSS bitmap: a clear bit for each of the ports grants access. */
static bool bitmap_ok(const struct vcpu *v, unsigned int port,
                      unsigned int bytes)
{
    unsigned int mask = ((1u << bytes) - 1) << (port & 7);
    unsigned int n = (port & 7) + bytes > 8 ? 2 : 1;
    uint16_t bits = 0;

    if (port + bytes > v->arch.iobmp_ports)
        return false;
    if (read_kernel(v, &bits, v->arch.iobmp + port / 8, n))
        return false;
    return !(bits & mask);
}

bool pv_io_permitted(const struct vcpu *v, unsigned int port,
                     unsigned int bytes)
{
    return pv_iopl_ok(v) || bitmap_ok(v, port, bytes);
}

int pv_set_iobitmap(struct vcpu *v, unsigned long va, unsigned int ports)
{
    if (ports > IO_PORTS || (ports && !guest_range_ok(va, ports / 8)))
        return -XEN_EINVAL;
    v->arch.iobmp = va;
    v->arch.iobmp_ports = ports;
    return 0;
}

/* Ports Keel drives itself: reads give all-ones, writes vanish. */
static bool port_is_keels(unsigned int port, unsigned int bytes)
{
    static const struct { uint16_t first, last; } keel_ports[] = {
        { 0x20, 0x21 },                 /* 8259 master (masked by Keel) */
        { 0x40, 0x43 },                 /* PIT (TSC calibration) */
        { 0x61, 0x61 },                 /* PIT channel 2 gate */
        { 0xa0, 0xa1 },                 /* 8259 slave */
        { 0xf4, 0xf7 },                 /* isa-debug-exit of test boots */
        { COM1_PORT, COM1_PORT + 7 },   /* the console UART */
    };
    unsigned int last = port + bytes - 1, uart = ns16550_port(), i;

    if (last >= IO_PORTS)
        return true;
    if (uart && port <= uart + 7 && last >= uart)
        return true;
    for (i = 0; i < ARRAY_SIZE(keel_ports); i++)
        if (port <= keel_ports[i].last && last >= keel_ports[i].first)
            return true;
    return false;
}

static bool port_ok(const struct domain *d, unsigned int port,
                    unsigned int bytes)
{
    return domain_is_privileged(d) && !port_is_keels(port, bytes);
}

static bool is_conf_data(unsigned int port, unsigned int bytes)
{
    return port >= PCI_CONF_DATA && port + bytes <= PCI_CONF_DATA + 4;
}

/* The register dom0's 0xcf8 selects, or false if it selects none. */
static bool conf_target(const struct domain *d, unsigned int port,
                        unsigned int *bdf, unsigned int *reg)
{
    uint32_t cf8 = d->pci_cf8;

    if (!(cf8 & CF8_ENABLE))
        return false;
    *bdf = (cf8 >> 8) & 0xffff;
    *reg = (cf8 & 0xfc) | (port & 3);
    return true;
}

static uint32_t conf_data_read(const struct domain *d, unsigned int port,
                               unsigned int bytes)
{
    unsigned int bdf, reg;

    if (!conf_target(d, port, &bdf, &reg))
        return ~0u;
    return pci_conf_read(bdf, reg, bytes);
}

/* Writes to the MSI address and data Keel programs are dropped. */
void pv_conf_write(const struct domain *d, unsigned int bdf, unsigned int reg,
                   unsigned int bytes, uint32_t val)
{
    static uint64_t reported;

    if (!msi_conf_write_allowed(bdf, reg, bytes)) {
        if (log_once(&reported, 0))
            pr_warn("d%u: write to MSI registers of %02x:%02x.%u reg %#x "
                    "ignored\n", d->domain_id, bdf >> 8, (bdf >> 3) & 31,
                    bdf & 7, reg);
        return;
    }
    pci_conf_write(bdf, reg, bytes, val);
}

static void conf_data_write(const struct domain *d, unsigned int port,
                            unsigned int bytes, uint32_t val)
{
    unsigned int bdf, reg;

    if (conf_target(d, port, &bdf, &reg))
        pv_conf_write(d, bdf, reg, bytes, val);
}

/*
 * Dom0's 0xcf8 is virtual (its last dword write), so that Keel's own config
 * accesses cannot split dom0's address/data pair; other widths there reach
 * the hardware, as on Xen.
 */
uint32_t pv_io_in(struct vcpu *v, unsigned int port, unsigned int bytes)
{
    struct domain *d = v->domain;

    if (!port_ok(d, port, bytes))
        return ~0u;
    if (port == PCI_CONF_ADDR && bytes == 4)
        return d->pci_cf8;
    if (is_conf_data(port, bytes))
        return conf_data_read(d, port, bytes);
    return port_in(port, bytes);
}

void pv_io_out(struct vcpu *v, unsigned int port, unsigned int bytes,
               uint32_t val)
{
    struct domain *d = v->domain;

    if (!port_ok(d, port, bytes))
        return;
    if (port == PCI_CONF_ADDR && bytes == 4)
        d->pci_cf8 = val;
    else if (is_conf_data(port, bytes))
        conf_data_write(d, port, bytes, val);
    else
        port_out(port, bytes, val);
}
