/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Application processors start here in real mode.  The blob is copied to
 * TRAMPOLINE_PHYS; the BSP fills in tramp_cr3/efer/stack before each SIPI.
 */
#include <hv/config.h>

#define TRAMP(x)        (TRAMPOLINE_PHYS + (x) - trampoline_start)

        .section .rodata.trampoline, "a", @progbits
        .code16
        .globl  trampoline_start, trampoline_end
        .globl  tramp_cr3, tramp_efer, tramp_stack
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   tramp_gdtr - trampoline_start
        mov     $1, %eax                        /* PE */
        mov     %eax, %cr0
        ljmpl   $0x08, $TRAMP(tramp32)

        .code32
tramp32:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %cr4, %eax
        or      $0x20, %eax                     /* PAE */
        mov     %eax, %cr4
        mov     TRAMP(tramp_cr3), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx               /* EFER: LME (+NXE) */
        mov     TRAMP(tramp_efer), %eax
        xor     %edx, %edx
        wrmsr
        mov     $0x80010033, %eax               /* PG WP NE ET MP PE */
        mov     %eax, %cr0
        ljmp    $0x18, $TRAMP(tramp64)

        .code64
tramp64:
        mov     TRAMP(tramp_stack), %rsp
        movabs  $ap_start64, %rax
        jmp     *%rax

        .balign 8
tramp_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff              /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff              /* 0x10: data */
        .quad   0x00af9a000000ffff              /* 0x18: 64-bit code */
tramp_gdtr:
        .short  tramp_gdtr - tramp_gdt - 1
        .long   TRAMP(tramp_gdt)
        .balign 8
tramp_cr3:      .long 0
tramp_efer:     .long 0
tramp_stack:    .quad 0
trampoline_end:
