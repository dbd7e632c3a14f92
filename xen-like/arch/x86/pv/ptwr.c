/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writable page tables: a guest kernel write to a read-only mapping of one
 * of its L1 page tables faults; Keel decodes the instruction (the forms
 * Linux uses on PTEs: mov, xchg, cmpxchg, bts/btr/btc, and, or, on bytes,
 * words, dwords or quadwords of an entry), checks
 * the new entry with mod_l1_entry() and completes the write.  Dom0's movs
 * to the I/O frames it may only map read-only (pagetype_iomem_ro()) are
 * emulated too.  Anything else, or an entry that fails the checks, gets
 * the original #PF.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pci.h>
#include <asm/pv/emulate.h>
#include <asm/pv/entry.h>
#include <asm/pv/mm.h>

#define PFEC_present    (1u << 0)
#define PFEC_write      (1u << 1)
#define MAX_INSN        15
#define EFLAGS_CF       (1UL << 0)
#define EFLAGS_PF       (1UL << 2)
#define EFLAGS_ZF       (1UL << 6)
#define EFLAGS_SF       (1UL << 7)
#define EFLAGS_OF       (1UL << 11)

enum ptwr_op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_BTS, OP_BTR, OP_BTC, OP_AND,
               OP_OR };

struct insn {
    uint8_t bytes[MAX_INSN];
    unsigned int avail;         /* bytes fetched */
    unsigned int len;           /* bytes consumed so far */
    bool overrun;               /* decoding needed more than avail */
    bool rip_relative;
    bool has_rex;
    uint8_t rex;
    unsigned int size;          /* operand size: 1, 2, 4 or 8 bytes */
    enum ptwr_op op;
    unsigned int reg;           /* ModRM.reg with REX.R */
    bool src_imm;               /* the source is imm (else register reg) */
    uint64_t imm;
    unsigned long addr;         /* effective address of the memory operand */
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
    uint64_t *map[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp,
                          &r->rbp, &r->rsi, &r->rdi, &r->r8, &r->r9,
                          &r->r10, &r->r11, &r->r12, &r->r13, &r->r14,
                          &r->r15 };

    return map[n & 15];
}

static uint64_t size_mask(unsigned int size)
{
    return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Register n as an operand of the instruction's size (AH..BH when a byte
 * operand names 4-7 without any REX prefix). */
static uint64_t reg_read(const struct insn *i, struct cpu_regs *r,
                         unsigned int n)
{
    if (i->size == 1 && !i->has_rex && n >= 4 && n < 8)
        return (*gpr(r, n - 4) >> 8) & 0xff;
    return *gpr(r, n) & size_mask(i->size);
}

/* Writes with the CPU's rules: 32-bit results zero-extend, 8/16 merge. */
static void reg_write(const struct insn *i, struct cpu_regs *r,
                      unsigned int n, uint64_t v)
{
    uint64_t *g;

    if (i->size == 1 && !i->has_rex && n >= 4 && n < 8) {
        g = gpr(r, n - 4);
        *g = (*g & ~0xff00ULL) | ((v & 0xff) << 8);
        return;
    }
    g = gpr(r, n);
    if (i->size == 8)
        *g = v;
    else if (i->size == 4)
        *g = (uint32_t)v;
    else
        *g = (*g & ~size_mask(i->size)) | (v & size_mask(i->size));
}

static uint8_t next(struct insn *i)
{
    if (i->len >= i->avail) {
        i->overrun = true;
        return 0;
    }
    return i->bytes[i->len++];
}

static uint64_t next_imm(struct insn *i, unsigned int size)
{
    uint64_t v = 0;
    unsigned int k;

    for (k = 0; k < size; k++)
        v |= (uint64_t)next(i) << (8 * k);
    return size == 1 ? (uint64_t)(int8_t)v : (uint64_t)(int32_t)v;
}

/* Decodes ModRM (+SIB, displacement) into i->reg and i->addr; false for
 * a register operand. */
static bool decode_modrm(struct insn *i, struct cpu_regs *r)
{
    uint8_t modrm = next(i), mod = modrm >> 6, rm = modrm & 7;
    unsigned long addr = 0;

    i->reg = ((modrm >> 3) & 7) | ((i->rex & 4) << 1);
    if (mod == 3)
        return false;
    if (rm == 4) {
        uint8_t sib = next(i), base = sib & 7;
        unsigned int index = ((sib >> 3) & 7) | ((i->rex & 2) << 2);

        if (index != 4)
            addr += *gpr(r, index) << (sib >> 6);
        if (base == 5 && mod == 0)
            addr += next_imm(i, 4);
        else
            addr += *gpr(r, base | ((i->rex & 1) << 3));
    } else if (rm == 5 && mod == 0) {
        i->addr = next_imm(i, 4);       /* RIP-relative: fixed up later */
        i->rip_relative = true;
        return true;
    } else {
        addr = *gpr(r, rm | ((i->rex & 1) << 3));
    }
    if (mod == 1)
        addr += next_imm(i, 1);
    else if (mod == 2)
        addr += next_imm(i, 4);
    i->addr = addr;
    return true;
}

/* Group 1 (/1 or, /4 and) and group 8 (/5 bts, /6 btr, /7 btc). */
static bool group_op(unsigned int ext, bool bit_group, enum ptwr_op *op)
{
    if (!bit_group && (ext == 1 || ext == 4)) {
        *op = ext == 1 ? OP_OR : OP_AND;
        return true;
    }
    if (bit_group && ext >= 5) {
        *op = ext == 5 ? OP_BTS : ext == 6 ? OP_BTR : OP_BTC;
        return true;
    }
    return false;
}

/* Forms with an immediate source: 80/81/83 (and, or), c6/c7 (mov), 0f ba
 * (bit tests); returns false if the form is not one of these. */
static bool decode_imm_form(struct insn *i, struct cpu_regs *r, uint8_t b,
                            bool twobyte)
{
    unsigned int imm_size = i->size == 2 ? 2 : 4;

    if (!decode_modrm(i, r))
        return false;
    i->src_imm = true;
    if (twobyte) {                      /* 0f ba /5-7 ib */
        if (!group_op(i->reg & 7, true, &i->op))
            return false;
        i->imm = next_imm(i, 1) & (8 * i->size - 1);
        return true;
    }
    if (b == 0xc6 || b == 0xc7) {
        if (i->reg & 7)
            return false;
        i->op = OP_MOV;
    } else if (!group_op(i->reg & 7, false, &i->op)) {
        return false;
    }
    if (b == 0x80 || b == 0x83 || b == 0xc6)
        imm_size = 1;
    i->imm = next_imm(i, imm_size) & size_mask(i->size);
    return true;
}

static bool decode_twobyte(struct insn *i, struct cpu_regs *r)
{
    uint8_t b = next(i);

    switch (b) {
    case 0xb0: i->size = 1; /* fall through */
    case 0xb1: i->op = OP_CMPXCHG; break;
    case 0xab: i->op = OP_BTS; break;
    case 0xb3: i->op = OP_BTR; break;
    case 0xbb: i->op = OP_BTC; break;
    case 0xba: return i->size > 1 && decode_imm_form(i, r, b, true);
    default: return false;
    }
    return decode_modrm(i, r);
}

/* The instruction at rip: the forms Linux uses on PTEs, any size. */
static bool decode(struct insn *i, struct cpu_regs *r)
{
    uint8_t b = next(i);

    /* lock, operand size, segment overrides (no effect in 64-bit mode) */
    i->size = 4;
    while (b == 0xf0 || b == 0x66 || b == 0x2e || b == 0x3e || b == 0x26 ||
           b == 0x36) {
        if (b == 0x66)
            i->size = 2;
        b = next(i);
    }
    if ((b & 0xf0) == 0x40) {
        i->has_rex = true;
        i->rex = b;
        if (b & 8)
            i->size = 8;
        b = next(i);
    }
    switch (b) {
    case 0x88: i->size = 1; /* fall through */
    case 0x89: i->op = OP_MOV; break;
    case 0x86: i->size = 1; /* fall through */
    case 0x87: i->op = OP_XCHG; break;
    case 0x08: i->size = 1; /* fall through */
    case 0x09: i->op = OP_OR; break;
    case 0x20: i->size = 1; /* fall through */
    case 0x21: i->op = OP_AND; break;
    case 0x80: case 0xc6:
        i->size = 1;
        return decode_imm_form(i, r, b, false);
    case 0x81: case 0x83: case 0xc7:
        return decode_imm_form(i, r, b, false);
    case 0x0f:
        return decode_twobyte(i, r);
    default:
        return false;
    }
    return decode_modrm(i, r);
}

static void set_logic_flags(struct cpu_regs *r, uint64_t v, unsigned int size)
{
    r->rflags &= ~(EFLAGS_CF | EFLAGS_OF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_PF);
    if (!(v & size_mask(size)))
        r->rflags |= EFLAGS_ZF;
    if ((v >> (8 * size - 1)) & 1)
        r->rflags |= EFLAGS_SF;
    if (!(__builtin_popcount((unsigned int)(v & 0xff)) & 1))
        r->rflags |= EFLAGS_PF;
}

/*
 * The new operand value; false if nothing is to be written (cmpxchg
 * mismatch, handled here) or the operation leaves the operand (a bit
 * test beyond it): *ok then says whether to complete or refuse.
 */
static bool compute(const struct insn *i, struct cpu_regs *r, uint64_t old,
                    uint64_t *new, bool *ok)
{
    uint64_t src = i->src_imm ? i->imm : reg_read(i, r, i->reg);

    *ok = true;
    switch (i->op) {
    case OP_MOV:
    case OP_XCHG:
        *new = src;
        return true;
    case OP_CMPXCHG:
        if ((r->rax & size_mask(i->size)) != old) {
            reg_write(i, r, 0, old);
            r->rflags &= ~EFLAGS_ZF;
            return false;
        }
        *new = src;
        return true;
    case OP_AND:
        *new = old & src;
        return true;
    case OP_OR:
        *new = old | src;
        return true;
    default:                            /* bit tests within the operand */
        if (src >= 8 * i->size) {
            *ok = false;
            return false;
        }
        *new = i->op == OP_BTS ? old | (1ULL << src)
             : i->op == OP_BTR ? old & ~(1ULL << src) : old ^ (1ULL << src);
        return true;
    }
}

static void finish(const struct insn *i, struct cpu_regs *r, uint64_t old,
                   uint64_t new)
{
    uint64_t src = i->src_imm ? i->imm : reg_read(i, r, i->reg);

    switch (i->op) {
    case OP_XCHG:
        reg_write(i, r, i->reg, old);
        break;
    case OP_CMPXCHG:
        r->rflags |= EFLAGS_ZF;
        break;
    case OP_AND:
    case OP_OR:
        set_logic_flags(r, new, i->size);
        break;
    case OP_BTS:
    case OP_BTR:
    case OP_BTC:
        r->rflags = (r->rflags & ~EFLAGS_CF) | ((old >> src) & 1);
        break;
    default:
        break;
    }
    r->rip += i->len;
}

/* The present, read-only L1 entry that maps va; false if there is none. */
static bool ro_l1e(unsigned long va, uint64_t *pte)
{
    struct page_info *l1 = pv_find_l1(va);

    if (!l1)
        return false;
    *pte = ((volatile uint64_t *)page_to_virt(l1))[l1_index(va)];
    return (*pte & (_PAGE_PRESENT | _PAGE_RW)) == _PAGE_PRESENT;
}

static void fetch(struct insn *i, unsigned long rip)
{
    /* Byte by byte: the instruction may end just before an unmapped page. */
    for (i->avail = 0; i->avail < MAX_INSN; i->avail++)
        if (copy_from_guest(&i->bytes[i->avail],
                            (const uint8_t *)rip + i->avail, 1))
            break;
}

/* The instruction at rip, with its memory operand's address. */
static bool decode_at(struct insn *i, struct cpu_regs *regs)
{
    fetch(i, regs->rip);
    if (!decode(i, regs) || i->overrun)
        return false;
    if (i->rip_relative)
        i->addr += regs->rip + i->len;
    return true;
}

static bool emulate(struct vcpu *v, struct cpu_regs *regs,
                    struct page_info *l1, unsigned long cr2)
{
    struct insn i = { .len = 0 };
    unsigned int slot = (cr2 & (PAGE_SIZE - 1)) >> 3, shift;
    uint64_t entry, old, new, mask;
    bool write, ok;

    /* The operand must be cr2 and lie within one entry. */
    if (!decode_at(&i, regs) || i.addr != cr2 || (cr2 & 7) + i.size > 8)
        return false;
    shift = 8 * (cr2 & 7);
    mask = size_mask(i.size);
    entry = ((uint64_t *)page_to_virt(l1))[slot];
    old = (entry >> shift) & mask;
    write = compute(&i, regs, old, &new, &ok);
    if (!ok)
        return false;
    if (write) {
        entry = (entry & ~(mask << shift)) | ((new & mask) << shift);
        if (mod_l1_entry(v->domain, l1, slot, entry, false))
            return false;
        finish(&i, regs, old, new);
    } else {
        regs->rip += i.len;             /* cmpxchg found another value */
    }
    return true;
}

/*
 * Dom0's store to an I/O frame it may only read: a mov of 1, 2 or 4 bytes,
 * naturally aligned (as Xen's mmcfg_intercept_write).  In MMCONFIG Keel
 * does the config write, minus the MSI registers; on the MSI-X table pages
 * Keel programs, it is dropped (as Xen's mmio_ro_emulated_write).
 */
static bool mmio_ro_write(struct vcpu *v, struct cpu_regs *regs,
                          unsigned long cr2, mfn_t mfn)
{
    static uint64_t reported;
    struct insn i = { .len = 0 };
    unsigned int bdf;
    uint64_t val;

    if (!decode_at(&i, regs) || i.op != OP_MOV || i.size > 4 ||
        i.addr != cr2 || (cr2 & (i.size - 1)))
        return false;
    val = i.src_imm ? i.imm : reg_read(&i, regs, i.reg);
    if (pci_mmcfg_frame(mfn, &bdf))
        pv_conf_write(v->domain, bdf, cr2 & (PAGE_SIZE - 1), i.size, val);
    else if (log_once(&reported, 0))
        pr_warn("d%u: write to MSI-X table page %#lx ignored\n",
                v->domain->domain_id, mfn_x(mfn));
    regs->rip += i.len;
    return true;
}

static bool l1_write(struct vcpu *v, struct cpu_regs *regs,
                     unsigned long cr2, mfn_t mfn)
{
    struct page_info *l1 = mfn_to_page(mfn);
    unsigned long type = pagetype_get_validated(l1);
    bool done = false;

    if (type != PGT_l1_page_table) {
        if (type != PGT_none)
            put_page_type(l1);
        return false;
    }
    if (l1->owner == v->domain)
        done = emulate(v, regs, l1, cr2);
    put_page_type(l1);
    return done;
}

bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long cr2)
{
    uint64_t pte;
    mfn_t mfn;

    if ((regs->error_code & (PFEC_present | PFEC_write)) !=
        (PFEC_present | PFEC_write) || !v->arch.kernel_mode ||
        !guest_range_ok(cr2, 8) || !ro_l1e(cr2, &pte))
        return false;
    mfn = _mfn((pte & PADDR_MASK) >> PAGE_SHIFT);
    /* RAM (L1 tables) first: L1 writes are frequent, the I/O test locks. */
    if (mfn_x(mfn) < max_page &&
        !(mfn_to_page(mfn)->count_info & PGC_reserved))
        return l1_write(v, regs, cr2, mfn);
    return domain_is_privileged(v->domain) && pagetype_iomem_ro(mfn) &&
           mmio_ro_write(v, regs, cr2, mfn);
}
