/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-kernel entry and the Xen ELF notes that let a PV dom0 builder load
 * it: loader "generic", VIRT_BASE 0xffffffff80000000, hypercall page, dom0.
 */
#include <public/elfnote.h>
#include <public/features.h>

/* One note: name "Xen", type, then the descriptor emitted by \desc. */
.macro XEN_NOTE type, desc:vararg
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \desc
4:  .balign 4
    .popsection
.endm

XEN_NOTE XEN_ELFNOTE_GUEST_OS, .asciz "Keel-test"
XEN_NOTE XEN_ELFNOTE_GUEST_VERSION, .asciz "0"
XEN_NOTE XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
XEN_NOTE XEN_ELFNOTE_LOADER, .asciz "generic"
XEN_NOTE XEN_ELFNOTE_VIRT_BASE, .quad 0xffffffff80000000
XEN_NOTE XEN_ELFNOTE_PADDR_OFFSET, .quad 0
XEN_NOTE XEN_ELFNOTE_ENTRY, .quad _start
XEN_NOTE XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
XEN_NOTE XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)

    .section .text.head, "ax", @progbits
    .code64
    .globl _start
_start:
    /* rsi = start_info (virtual); Xen's boot stack is left unused. */
    lea     boot_stack_top(%rip), %rsp
    mov     %rsi, %rdi
    xor     %ebp, %ebp
    call    guest_start
    ud2

    /* Filled by the hypervisor; int3 everywhere if it is not. */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
boot_stack:
    .skip 4 * 4096
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
