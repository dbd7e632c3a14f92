/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding a guest kernel's 64-bit instruction for the emulators: fetch,
 * prefixes, opcode, ModRM/SIB/displacement, registers by number.
 */
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <asm/page.h>
#include <asm/pv/insn.h>

/* The bytes at rip; at a page end, those of the first page will do. */
static bool insn_fetch(struct insn *in, unsigned long rip)
{
    unsigned long to_page_end = PAGE_SIZE - (rip & (PAGE_SIZE - 1));

    in->avail = INSN_MAX_LEN;
    if (!copy_from_guest(in->bytes, (const void *)rip, INSN_MAX_LEN))
        return true;
    if (to_page_end >= INSN_MAX_LEN)
        return false;
    in->avail = to_page_end;
    return !copy_from_guest(in->bytes, (const void *)rip, in->avail);
}

uint8_t insn_byte(struct insn *in)
{
    if (in->len >= in->avail) {
        in->overrun = true;
        return 0;
    }
    return in->bytes[in->len++];
}

uint64_t insn_imm(struct insn *in, unsigned int size)
{
    uint64_t v = 0;
    unsigned int k;

    for (k = 0; k < size; k++)
        v |= (uint64_t)insn_byte(in) << (8 * k);
    return size == 1 ? (uint64_t)(int8_t)v : (uint64_t)(int32_t)v;
}

/* Prefixes, REX and the opcode (a REX byte at rip cannot be a 32-bit
 * inc/dec: only 64-bit guest kernel code is decoded). */
bool insn_decode(struct insn *in, unsigned long rip)
{
    uint8_t b;

    if (!insn_fetch(in, rip))
        return false;
    for (;;) {
        b = insn_byte(in);
        if (b == 0x66)
            in->opsize16 = true;
        else if (b == 0x67)
            in->addr32 = true;
        else if (b == 0xf2 || b == 0xf3)
            in->rep = true;
        else if (b == 0xf0)
            in->lock = true;
        else if (b == 0x64 || b == 0x65)
            in->seg = b == 0x64 ? SEG_FS : SEG_GS;
        else if (b != 0x26 && b != 0x2e && b != 0x36 && b != 0x3e)
            break;                  /* those four mean nothing in 64-bit */
    }
    if ((b & 0xf0) == 0x40) {
        in->rex = b;
        b = insn_byte(in);
    }
    in->opcode = b == 0x0f ? 0x0f00 | insn_byte(in) : b;
    return !in->overrun;
}

bool insn_modrm(struct insn *in, struct cpu_regs *regs)
{
    uint8_t modrm = insn_byte(in), mod = modrm >> 6, rm = modrm & 7;
    unsigned long addr = 0;

    in->reg = ((modrm >> 3) & 7) | ((in->rex & 4) << 1);
    if (mod == 3)
        return false;
    if (rm == 4) {
        uint8_t sib = insn_byte(in), base = sib & 7;
        unsigned int index = ((sib >> 3) & 7) | ((in->rex & 2) << 2);

        if (index != 4)
            addr += *insn_gpr(regs, index) << (sib >> 6);
        if (base == 5 && mod == 0)
            addr += insn_imm(in, 4);
        else
            addr += *insn_gpr(regs, base | ((in->rex & 1) << 3));
    } else if (rm == 5 && mod == 0) {
        in->addr = insn_imm(in, 4);     /* the caller adds the next rip */
        in->rip_relative = true;
        return true;
    } else {
        addr = *insn_gpr(regs, rm | ((in->rex & 1) << 3));
    }
    if (mod == 1)
        addr += insn_imm(in, 1);
    else if (mod == 2)
        addr += insn_imm(in, 4);
    in->addr = addr;
    return true;
}

uint64_t *insn_gpr(struct cpu_regs *regs, unsigned int n)
{
    uint64_t *const r[16] = {
        &regs->rax, &regs->rcx, &regs->rdx, &regs->rbx,
        &regs->rsp, &regs->rbp, &regs->rsi, &regs->rdi,
        &regs->r8, &regs->r9, &regs->r10, &regs->r11,
        &regs->r12, &regs->r13, &regs->r14, &regs->r15,
    };

    return r[n & 15];
}
