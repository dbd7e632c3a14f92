/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decoding the two instruction emulators share (emul_priv.c behind
 * #GP, ptwr.c behind write faults): a guest kernel's 64-bit instruction,
 * its prefixes and opcode, ModRM with SIB and displacement, and registers.
 */
#ifndef ASM_PV_INSN_H
#define ASM_PV_INSN_H

#include <asm/processor.h>

#define INSN_MAX_LEN    15

enum insn_seg { SEG_DEFAULT, SEG_FS, SEG_GS };

/* One fetched instruction; len is how far decoding has got. */
struct insn {
    uint8_t bytes[INSN_MAX_LEN];
    unsigned int avail, len;        /* bytes fetched, bytes consumed */
    bool overrun;                   /* decoding wanted more than avail */
    unsigned int opcode;            /* two-byte opcodes as 0x0fxx */
    uint8_t rex;                    /* 0: none */
    bool opsize16, addr32, rep, lock;
    enum insn_seg seg;              /* fs or gs; the others mean nothing */
    unsigned int reg;               /* ModRM.reg with REX.R */
    bool rip_relative;              /* addr is relative to the next insn */
    unsigned long addr;             /* the memory operand's address */
};

/* Fetches the instruction at rip into a zeroed *in, decodes prefixes and
 * opcode; false if they are not all readable. */
bool insn_decode(struct insn *in, unsigned long rip);

/* The next byte, or a little-endian immediate of size 1, 2 or 4 (1 and
 * 4 sign-extended); past the fetched bytes 0, setting in->overrun. */
uint8_t insn_byte(struct insn *in);
uint64_t insn_imm(struct insn *in, unsigned int size);

/* ModRM (with SIB and displacement) into in->reg and in->addr; false if
 * the operand is a register, not memory. */
bool insn_modrm(struct insn *in, struct cpu_regs *regs);

/* General register n (0 rax ... 15 r15) in the saved frame. */
uint64_t *insn_gpr(struct cpu_regs *regs, unsigned int n);

#endif
