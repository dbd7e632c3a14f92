/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception and event entry from Xen's bounce frame (rcx, r11, [error code],
 * rip, cs, rflags, rsp, ss) and the return through HYPERVISOR_iret.
 */
#include <public/xen.h>

#define TRAP_EVENT 0x100
#define TRAP_SYSCALL 0x101

/* Offsets into struct cpu_regs (guest.h). */
#define CR_R15 0
#define CR_R14 8
#define CR_R13 16
#define CR_R12 24
#define CR_RBP 32
#define CR_RBX 40
#define CR_R11 48
#define CR_R10 56
#define CR_R9 64
#define CR_R8 72
#define CR_RAX 80
#define CR_RCX 88
#define CR_RDX 96
#define CR_RSI 104
#define CR_RDI 112
#define CR_RIP 136
#define CR_RFLAGS 152
#define CR_RSP 160

    .text
    .code64

/* Vectors without an error code get a 0 so every frame has one slot. */
.macro TRAP_STUB vec, has_err
    .balign 16
trap_stub_\vec:
    pop     %rcx
    pop     %r11
    .if \has_err == 0
    push    $-1
    .endif
    push    $\vec
    jmp     trap_common
.endm

TRAP_STUB 0, 0
TRAP_STUB 1, 0
TRAP_STUB 2, 0
TRAP_STUB 3, 0
TRAP_STUB 4, 0
TRAP_STUB 5, 0
TRAP_STUB 6, 0
TRAP_STUB 7, 0
TRAP_STUB 8, 1
TRAP_STUB 9, 0
TRAP_STUB 10, 1
TRAP_STUB 11, 1
TRAP_STUB 12, 1
TRAP_STUB 13, 1
TRAP_STUB 14, 1
TRAP_STUB 15, 0
TRAP_STUB 16, 0
TRAP_STUB 17, 1
TRAP_STUB 18, 0
TRAP_STUB 19, 0
TRAP_STUB 20, 0
TRAP_STUB 21, 1
TRAP_STUB 22, 0
TRAP_STUB 23, 0
TRAP_STUB 24, 0
TRAP_STUB 25, 0
TRAP_STUB 26, 0
TRAP_STUB 27, 0
TRAP_STUB 28, 0
TRAP_STUB 29, 0
TRAP_STUB 30, 0
TRAP_STUB 31, 0

/* Two software-interrupt vectors for trap-table tests (int $0x80/0x81). */
TRAP_STUB 0x80, 0
TRAP_STUB 0x81, 0
    .globl trap_stub_0x80, trap_stub_0x81

    .section .rodata
    .balign 8
    .globl trap_stubs
trap_stubs:
    .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    .quad trap_stub_\vec
    .endr
    .irp vec, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad trap_stub_\vec
    .endr
    .text

    .balign 16
    .globl event_entry
event_entry:
    pop     %rcx
    pop     %r11
    push    $-1
    push    $TRAP_EVENT
    jmp     trap_common

/* CALLBACKTYPE_syscall: a guest-user `syscall`, frame without error code. */
    .balign 16
    .globl syscall_entry
syscall_entry:
    pop     %rcx
    pop     %r11
    push    $-1
    push    $TRAP_SYSCALL
    jmp     trap_common

/*
 * unsigned long user_enter(const struct cpu_regs *r): HYPERVISOR_iret to
 * guest user mode with all registers from r (rip, rflags, rsp from the
 * frame fields; cs/ss are the flat user selectors).  "Returns" when
 * user_leave() is called from a bounce out of user mode.
 */
    .globl user_enter, user_leave
user_enter:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, user_kernel_rsp(%rip)
    pushq   $FLAT_USER_SS
    pushq   CR_RSP(%rdi)
    pushq   CR_RFLAGS(%rdi)
    pushq   $FLAT_USER_CS
    pushq   CR_RIP(%rdi)
    pushq   $0
    mov     CR_R15(%rdi), %r15
    mov     CR_R14(%rdi), %r14
    mov     CR_R13(%rdi), %r13
    mov     CR_R12(%rdi), %r12
    mov     CR_RBP(%rdi), %rbp
    mov     CR_RBX(%rdi), %rbx
    mov     CR_R11(%rdi), %r11
    mov     CR_R10(%rdi), %r10
    mov     CR_R9(%rdi), %r9
    mov     CR_R8(%rdi), %r8
    mov     CR_RAX(%rdi), %rax
    mov     CR_RCX(%rdi), %rcx
    mov     CR_RDX(%rdi), %rdx
    mov     CR_RSI(%rdi), %rsi
    mov     CR_RDI(%rdi), %rdi
    jmp     hypercall_page + __HYPERVISOR_iret * 32

/* void user_leave(void): back to user_enter's caller, on its stack. */
user_leave:
    mov     user_kernel_rsp(%rip), %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .section .bss
    .balign 8
user_kernel_rsp:
    .quad   0
    .text

/* Segment reload failure on return to the guest: fatal for a test. */
    .balign 16
    .globl failsafe_entry
failsafe_entry:
    mov     %rsp, %rdi
    and     $-16, %rsp
    call    failsafe_handle
    ud2

/*
 * void trap_call_at(unsigned long addr): call addr.  If fetching at addr
 * faults, the handler resumes at trap_call_resume (traps.c arranges it)
 * and the pushed return address is dropped by restoring rsp.
 */
    .globl trap_call_at, trap_call_resume
trap_call_at:
    push    %rbx
    mov     %rsp, %rbx
    call    *%rdi
trap_call_resume:
    mov     %rbx, %rsp
    pop     %rbx
    ret

/* Stack: vector, error code, rip, cs, rflags, rsp, ss. */
trap_common:
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
    cld
    mov     %rsp, %rdi
    mov     %rsp, %rbx
    and     $-16, %rsp
    call    trap_handle
    mov     %rbx, %rsp
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
    add     $16, %rsp
    /*
     * HYPERVISOR_iret wants rax, r11, rcx, flags, rip, cs, rflags, rsp, ss
     * on the stack; the hypercall-page stub pushes rcx, r11 and rax.
     */
    push    $0
    jmp     hypercall_page + __HYPERVISOR_iret * 32

    .section .note.GNU-stack, "", @progbits
