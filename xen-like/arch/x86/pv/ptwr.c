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
#include <asm/pv/insn.h>
#include <asm/pv/mm.h>

enum ptwr_op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_BTS, OP_BTR, OP_BTC, OP_AND,
               OP_OR };

/* A decoded store: the instruction, and what it does to its operand. */
struct store {
    struct insn in;             /* in.reg, in.addr: the operands */
    enum ptwr_op op;
    unsigned int size;          /* operand size: 1, 2, 4 or 8 bytes */
    bool src_imm;               /* the source is imm (else register in.reg) */
    uint64_t imm;
};

static uint64_t size_mask(unsigned int size)
{
    return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Register n as an operand of the store's size (AH..BH when a byte
 * operand names 4-7 without any REX prefix). */
static uint64_t reg_read(const struct store *s, struct cpu_regs *r,
                         unsigned int n)
{
    if (s->size == 1 && !s->in.rex && n >= 4 && n < 8)
        return (*insn_gpr(r, n - 4) >> 8) & 0xff;
    return *insn_gpr(r, n) & size_mask(s->size);
}

/* Writes with the CPU's rules: 32-bit results zero-extend, 8/16 merge. */
static void reg_write(const struct store *s, struct cpu_regs *r,
                      unsigned int n, uint64_t v)
{
    uint64_t *g;

    if (s->size == 1 && !s->in.rex && n >= 4 && n < 8) {
        g = insn_gpr(r, n - 4);
        *g = (*g & ~0xff00ULL) | ((v & 0xff) << 8);
        return;
    }
    g = insn_gpr(r, n);
    if (s->size == 8)
        *g = v;
    else if (s->size == 4)
        *g = (uint32_t)v;
    else
        *g = (*g & ~size_mask(s->size)) | (v & size_mask(s->size));
}

static uint64_t src_value(const struct store *s, struct cpu_regs *r)
{
    return s->src_imm ? s->imm : reg_read(s, r, s->in.reg);
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
static bool decode_imm_form(struct store *s, struct cpu_regs *r)
{
    unsigned int op = s->in.opcode, ext, imm_size = s->size == 2 ? 2 : 4;

    if (!insn_modrm(&s->in, r))
        return false;
    ext = s->in.reg & 7;
    s->src_imm = true;
    if (op == 0x0fba) {                 /* 0f ba /5-7 ib */
        if (!group_op(ext, true, &s->op))
            return false;
        s->imm = insn_imm(&s->in, 1) & (8 * s->size - 1);
        return true;
    }
    if (op == 0xc6 || op == 0xc7) {
        if (ext)
            return false;
        s->op = OP_MOV;
    } else if (!group_op(ext, false, &s->op)) {
        return false;
    }
    if (op == 0x80 || op == 0x83 || op == 0xc6)
        imm_size = 1;
    s->imm = insn_imm(&s->in, imm_size) & size_mask(s->size);
    return true;
}

/* The forms Linux uses on PTEs, any size.  Of the prefixes only lock, 0x66
 * and those meaning nothing in 64-bit mode are taken. */
static bool decode_store(struct store *s, struct cpu_regs *r)
{
    if (s->in.addr32 || s->in.rep || s->in.seg != SEG_DEFAULT)
        return false;
    s->size = s->in.rex & 8 ? 8 : s->in.opsize16 ? 2 : 4;
    switch (s->in.opcode) {
    case 0x88: s->size = 1; /* fall through */
    case 0x89: s->op = OP_MOV; break;
    case 0x86: s->size = 1; /* fall through */
    case 0x87: s->op = OP_XCHG; break;
    case 0x08: s->size = 1; /* fall through */
    case 0x09: s->op = OP_OR; break;
    case 0x20: s->size = 1; /* fall through */
    case 0x21: s->op = OP_AND; break;
    case 0x0fb0: s->size = 1; /* fall through */
    case 0x0fb1: s->op = OP_CMPXCHG; break;
    case 0x0fab: s->op = OP_BTS; break;
    case 0x0fb3: s->op = OP_BTR; break;
    case 0x0fbb: s->op = OP_BTC; break;
    case 0x80: case 0xc6:
        s->size = 1;
        return decode_imm_form(s, r);
    case 0x81: case 0x83: case 0xc7:
        return decode_imm_form(s, r);
    case 0x0fba:
        return s->size > 1 && decode_imm_form(s, r);
    default:
        return false;
    }
    return insn_modrm(&s->in, r);
}

static void set_logic_flags(struct cpu_regs *r, uint64_t v, unsigned int size)
{
    r->rflags &= ~(X86_EFLAGS_CF | X86_EFLAGS_OF | X86_EFLAGS_ZF |
                   X86_EFLAGS_SF | X86_EFLAGS_PF);
    if (!(v & size_mask(size)))
        r->rflags |= X86_EFLAGS_ZF;
    if ((v >> (8 * size - 1)) & 1)
        r->rflags |= X86_EFLAGS_SF;
    if (!(__builtin_popcount((unsigned int)(v & 0xff)) & 1))
        r->rflags |= X86_EFLAGS_PF;
}

/*
 * The new operand value; false if nothing is to be written (cmpxchg
 * mismatch, handled here) or the operation leaves the operand (a bit
 * test beyond it): *ok then says whether to complete or refuse.
 */
static bool compute(const struct store *s, struct cpu_regs *r, uint64_t old,
                    uint64_t *new, bool *ok)
{
    uint64_t src = src_value(s, r);

    *ok = true;
    switch (s->op) {
    case OP_MOV:
    case OP_XCHG:
        *new = src;
        return true;
    case OP_CMPXCHG:
        if ((r->rax & size_mask(s->size)) != old) {
            reg_write(s, r, 0, old);
            r->rflags &= ~X86_EFLAGS_ZF;
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
        if (src >= 8 * s->size) {
            *ok = false;
            return false;
        }
        *new = s->op == OP_BTS ? old | (1ULL << src)
             : s->op == OP_BTR ? old & ~(1ULL << src) : old ^ (1ULL << src);
        return true;
    }
}

static void finish(const struct store *s, struct cpu_regs *r, uint64_t old,
                   uint64_t new)
{
    uint64_t src = src_value(s, r);

    switch (s->op) {
    case OP_XCHG:
        reg_write(s, r, s->in.reg, old);
        break;
    case OP_CMPXCHG:
        r->rflags |= X86_EFLAGS_ZF;
        break;
    case OP_AND:
    case OP_OR:
        set_logic_flags(r, new, s->size);
        break;
    case OP_BTS:
    case OP_BTR:
    case OP_BTC:
        r->rflags = (r->rflags & ~X86_EFLAGS_CF) | ((old >> src) & 1);
        break;
    default:
        break;
    }
    r->rip += s->in.len;
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

/* The store at rip, with its memory operand's address. */
static bool decode_at(struct store *s, struct cpu_regs *regs)
{
    if (!insn_decode(&s->in, regs->rip) || !decode_store(s, regs) ||
        s->in.overrun)
        return false;
    if (s->in.rip_relative)
        s->in.addr += regs->rip + s->in.len;
    return true;
}

static bool emulate(struct vcpu *v, struct cpu_regs *regs,
                    struct page_info *l1, unsigned long cr2)
{
    struct store s = { 0 };
    unsigned int slot = (cr2 & (PAGE_SIZE - 1)) >> 3, shift;
    uint64_t entry, old, new, mask;
    bool write, ok;

    /* The operand must be cr2 and lie within one entry. */
    if (!decode_at(&s, regs) || s.in.addr != cr2 || (cr2 & 7) + s.size > 8)
        return false;
    shift = 8 * (cr2 & 7);
    mask = size_mask(s.size);
    entry = ((uint64_t *)page_to_virt(l1))[slot];
    old = (entry >> shift) & mask;
    write = compute(&s, regs, old, &new, &ok);
    if (!ok)
        return false;
    if (write) {
        entry = (entry & ~(mask << shift)) | ((new & mask) << shift);
        if (mod_l1_entry(v->domain, l1, slot, entry, false))
            return false;
        finish(&s, regs, old, new);
    } else {
        regs->rip += s.in.len;          /* cmpxchg found another value */
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
    struct store s = { 0 };
    unsigned int bdf;
    uint64_t val;

    if (!decode_at(&s, regs) || s.op != OP_MOV || s.size > 4 ||
        s.in.addr != cr2 || (cr2 & (s.size - 1)))
        return false;
    val = src_value(&s, regs);
    if (pci_mmcfg_frame(mfn, &bdf))
        pv_conf_write(v->domain, bdf, cr2 & (PAGE_SIZE - 1), s.size, val);
    else if (log_once(&reported, 0))
        pr_warn("d%u: write to MSI-X table page %#lx ignored\n",
                v->domain->domain_id, mfn_x(mfn));
    regs->rip += s.in.len;
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
