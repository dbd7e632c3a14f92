/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writable page tables: a guest kernel write to a read-only mapping of one
 * of its L1 page tables faults; Keel decodes the instruction (the forms
 * Linux uses on PTEs: mov, xchg, cmpxchg, bts/btr/btc, and, or), checks
 * the new entry with mod_l1_entry() and completes the write.  Anything
 * else, or an entry that fails the checks, gets the original #PF.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/page.h>
#include <asm/processor.h>
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
    uint8_t rex;
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
 * a register operand or a form not allowed here. */
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

static bool decode_group(struct insn *i, uint8_t group, enum ptwr_op *op)
{
    switch (group) {
    case 1: *op = OP_OR; return true;
    case 4: *op = OP_AND; return true;
    case 5: *op = OP_BTS; return true;
    case 6: *op = OP_BTR; return true;
    case 7: *op = OP_BTC; return true;
    default: (void)i; return false;
    }
}

/* The instruction at rip; only 64-bit operations on memory. */
static bool decode(struct insn *i, struct cpu_regs *r)
{
    uint8_t b = next(i);

    while (b == 0xf0)                   /* lock */
        b = next(i);
    if ((b & 0xf0) != 0x40 || !(b & 8))
        return false;                   /* need REX.W: 64-bit operands */
    i->rex = b;
    b = next(i);
    switch (b) {
    case 0x89: i->op = OP_MOV; break;
    case 0x87: i->op = OP_XCHG; break;
    case 0x09: i->op = OP_OR; break;
    case 0x21: i->op = OP_AND; break;
    case 0xc7: case 0x81: case 0x83:
        if (!decode_modrm(i, r))
            return false;
        if (b == 0xc7)
            i->op = OP_MOV;
        else if (!decode_group(i, i->reg & 7, &i->op) ||
                 (i->op != OP_OR && i->op != OP_AND))
            return false;
        i->src_imm = true;
        i->imm = next_imm(i, b == 0x83 ? 1 : 4);
        return true;
    case 0x0f:
        b = next(i);
        if (b == 0xb1)
            i->op = OP_CMPXCHG;
        else if (b == 0xab)
            i->op = OP_BTS;
        else if (b == 0xb3)
            i->op = OP_BTR;
        else if (b == 0xbb)
            i->op = OP_BTC;
        else if (b == 0xba) {
            if (!decode_modrm(i, r) || !decode_group(i, i->reg & 7, &i->op) ||
                i->op < OP_BTS || i->op > OP_BTC)
                return false;
            i->src_imm = true;
            i->imm = next_imm(i, 1) & 63;
            return true;
        } else
            return false;
        break;
    default:
        return false;
    }
    return decode_modrm(i, r);
}

static void set_logic_flags(struct cpu_regs *r, uint64_t v)
{
    r->rflags &= ~(EFLAGS_CF | EFLAGS_OF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_PF);
    if (!v)
        r->rflags |= EFLAGS_ZF;
    if (v >> 63)
        r->rflags |= EFLAGS_SF;
    if (!(__builtin_popcount((unsigned int)(v & 0xff)) & 1))
        r->rflags |= EFLAGS_PF;
}

/* The new entry; false if nothing is to be written (cmpxchg mismatch). */
static bool compute(const struct insn *i, struct cpu_regs *r, uint64_t old,
                    uint64_t *new)
{
    uint64_t src = i->src_imm ? i->imm : *gpr(r, i->reg);
    uint64_t bit = 1ULL << (src & 63);

    switch (i->op) {
    case OP_MOV:
    case OP_XCHG:
        *new = src;
        return true;
    case OP_CMPXCHG:
        if (r->rax != old) {
            r->rax = old;
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
    default:                            /* bit tests */
        *new = i->op == OP_BTS ? old | bit : i->op == OP_BTR ? old & ~bit
                                                             : old ^ bit;
        return true;
    }
}

static void finish(const struct insn *i, struct cpu_regs *r, uint64_t old,
                   uint64_t new)
{
    uint64_t src = i->src_imm ? i->imm : *gpr(r, i->reg);

    switch (i->op) {
    case OP_XCHG:
        *gpr(r, i->reg) = old;
        break;
    case OP_CMPXCHG:
        r->rflags |= EFLAGS_ZF;
        break;
    case OP_AND:
    case OP_OR:
        set_logic_flags(r, new);
        break;
    case OP_BTS:
    case OP_BTR:
    case OP_BTC:
        r->rflags = (r->rflags & ~EFLAGS_CF) | ((old >> (src & 63)) & 1);
        break;
    default:
        break;
    }
    r->rip += i->len;
}

/* The frame mapped at va by a present, read-only L1 entry, or NULL. */
static struct page_info *ro_target(unsigned long va)
{
    uint64_t *t = maddr_to_virt(read_cr3() & PADDR_MASK), e = 0;
    int shift;

    for (shift = L4_SHIFT; shift >= (int)L1_SHIFT; shift -= 9) {
        e = t[(va >> shift) & 511];
        if (!(e & _PAGE_PRESENT) || (shift > (int)L1_SHIFT && (e & _PAGE_PSE)))
            return NULL;
        t = maddr_to_virt(e & PADDR_MASK);
    }
    if ((e & _PAGE_RW) || ((e & PADDR_MASK) >> PAGE_SHIFT) >= max_page)
        return NULL;
    return mfn_to_page(_mfn((e & PADDR_MASK) >> PAGE_SHIFT));
}

static void fetch(struct insn *i, unsigned long rip)
{
    /* Byte by byte: the instruction may end just before an unmapped page. */
    for (i->avail = 0; i->avail < MAX_INSN; i->avail++)
        if (copy_from_guest(&i->bytes[i->avail],
                            (const uint8_t *)rip + i->avail, 1))
            break;
}

static bool emulate(struct vcpu *v, struct cpu_regs *regs,
                    struct page_info *l1, unsigned long cr2)
{
    struct insn i = { .len = 0 };
    unsigned int slot = (cr2 & (PAGE_SIZE - 1)) >> 3;
    uint64_t old, new;
    bool write;

    fetch(&i, regs->rip);
    if (!decode(&i, regs) || i.overrun)
        return false;
    if (i.rip_relative)
        i.addr += regs->rip + i.len;
    if (i.addr != cr2 || (cr2 & 7))
        return false;                   /* one whole, aligned entry only */
    old = ((uint64_t *)page_to_virt(l1))[slot];
    write = compute(&i, regs, old, &new);
    if (!write) {                       /* cmpxchg found another value */
        regs->rip += i.len;
        return true;
    }
    if (mod_l1_entry(v->domain, l1, slot, new, false))
        return false;
    finish(&i, regs, old, new);
    return true;
}

bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long cr2)
{
    struct page_info *l1;
    unsigned long type;
    bool done = false;

    if ((regs->error_code & (PFEC_present | PFEC_write)) !=
        (PFEC_present | PFEC_write) || !v->arch.kernel_mode ||
        !guest_range_ok(cr2, 8) || !(l1 = ro_target(cr2)))
        return false;
    type = pagetype_get_validated(l1);
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
