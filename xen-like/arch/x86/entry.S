/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception and interrupt entry: 256 stubs that make every vector look the
 * same (error code, vector), then save the registers as struct cpu_regs
 * and call do_trap().  Also the 64-bit entry of application processors.
 */
#include <hv/config.h>
#include <generated/asm-offsets.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                        (v) == 21 || (v) == 29 || (v) == 30)

        .text
        .balign 16
        .globl  entry_stubs, common_entry
entry_stubs:
        vec = 0
        .rept   256
        .balign 16
        .if     HAS_ERRCODE(vec)
        .else
        pushq   $0
        .endif
        pushq   $vec
        jmp     common_entry
        vec = vec + 1
        .endr

common_entry:
        cld
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, %rdi
        call    do_trap
restore_all:
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        add     $16, %rsp                       /* vector, error code */
        iretq

/*
 * void pv_enter_guest(const struct cpu_regs *regs, struct cpu_regs *frame):
 * frame is the slot at the top of this CPU's stack; the stack below is
 * abandoned, regs copied in, and the guest resumed through iretq.
 */
        .globl  pv_enter_guest
pv_enter_guest:
        mov     %rsi, %rsp
        xchg    %rdi, %rsi
        mov     $(CPUREGS_sizeof / 8), %ecx
        rep movsq
        mov     %rsp, %rdi
        jmp     restore_all

/* From the trampoline: on boot_l4, rsp = this CPU's stack. */
        .globl  ap_start64
ap_start64:
        xor     %ebp, %ebp
        call    start_secondary
        ud2
