/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copies that may fault (guest memory): a fault inside `rep movsb` resumes
 * at the fixup through the exception table, with rcx = bytes not copied.
 */
        .text
/* size_t raw_copy(void *dst, const void *src, size_t n): bytes not copied */
        .globl  raw_copy
raw_copy:
        mov     %rdx, %rcx
1:      rep movsb
2:      mov     %rcx, %rax
        ret

        .section .ex_table, "a", @progbits
        .balign 8
        .quad   1b, 2b
