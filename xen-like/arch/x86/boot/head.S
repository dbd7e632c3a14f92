/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The first instructions: both multiboot headers, then from 32-bit protected
 * mode (as GRUB or QEMU leave us) to long mode on the high-half mapping.
 */
#include <hv/config.h>
#include <asm/page.h>
#include <generated/asm-offsets.h>

#define PHYS(x)         ((x) - KEEL_VIRT_BASE)

#define MB1_MAGIC       0x1badb002
#define MB1_FLAGS       0x00000003      /* page-aligned modules, mem info */
#define MB2_MAGIC       0xe85250d6

#define BOOT_CS         0x08
#define BOOT_DS         0x10
#define LARGE_PAGE      (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
                         _PAGE_DIRTY | _PAGE_PSE)

        .section .text.boot, "ax", @progbits
        .code32

        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   0                               /* i386 */
        .long   mb2_header_end - mb2_header
        .long   0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
        .balign 8                               /* modules page-aligned */
        .short  6, 0
        .long   8
        .balign 8                               /* end tag */
        .short  0, 0
        .long   8
mb2_header_end:

        .balign 4
mb1_header:
        .long   MB1_MAGIC
        .long   MB1_FLAGS
        .long   0x100000000 - (MB1_MAGIC + MB1_FLAGS)

/* eax = loader magic, ebx = boot information (physical). */
        .globl  start32
start32:
        cli
        cld
        mov     %eax, %ebp

        /* .bss holds the boot page tables and the BSP stack. */
        mov     $PHYS(__bss_start), %edi
        mov     $PHYS(__bss_end), %ecx
        sub     %edi, %ecx
        xor     %eax, %eax
        rep stosb

        mov     %ebx, PHYS(boot_info_pa)        /* cpuid clobbers ebx */
        mov     $PHYS(bsp_stack + STACK_SIZE - CPUINFO_sizeof), %esp

        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        test    $(1 << 29), %edx
        jz      no_long_mode
        mov     %edx, %esi                      /* bit 20: NX */

        /* boot_l2: physical 0..1 GiB in 2 MiB pages. */
        mov     $PHYS(boot_l2), %edi
        xor     %ecx, %ecx
1:      mov     %ecx, %eax
        shl     $21, %eax
        or      $LARGE_PAGE, %eax
        mov     %eax, (%edi, %ecx, 8)
        inc     %ecx
        cmp     $512, %ecx
        jb      1b

        /* The same 1 GiB at 0 (until the APs are up) and at KEEL_VIRT_BASE. */
        movl    $(PHYS(boot_l2) + PAGE_TABLE_FLAGS), PHYS(boot_l3_low)
        movl    $(PHYS(boot_l2) + PAGE_TABLE_FLAGS), \
                PHYS(boot_l3_high) + 8 * ((KEEL_VIRT_BASE >> 30) & 511)
        movl    $(PHYS(boot_l3_low) + PAGE_TABLE_FLAGS), PHYS(boot_l4)
        movl    $(PHYS(boot_l3_high) + PAGE_TABLE_FLAGS), \
                PHYS(boot_l4) + 8 * ((KEEL_VIRT_BASE >> 39) & 511)

        mov     %cr4, %eax
        or      $0x20, %eax                     /* PAE */
        mov     %eax, %cr4
        mov     $PHYS(boot_l4), %eax
        mov     %eax, %cr3

        mov     $0xc0000080, %ecx               /* EFER */
        rdmsr
        or      $0x100, %eax                    /* LME */
        test    $(1 << 20), %esi
        jz      2f
        or      $0x800, %eax                    /* NXE */
2:      wrmsr

        mov     $0x80010033, %eax               /* PG WP NE ET MP PE */
        mov     %eax, %cr0

        lgdt    boot_gdtr
        ljmp    $BOOT_CS, $start64_low

no_long_mode:
        mov     $no_lm_msg, %esi
        mov     $0x3f8, %dx
3:      lodsb
        test    %al, %al
        jz      4f
        out     %al, %dx
        jmp     3b
4:      hlt
        jmp     4b

        .code64
start64_low:
        movabs  $start64_high, %rax
        jmp     *%rax

no_lm_msg:
        .asciz  "Keel: this CPU has no long mode (x86-64); halting.\r\n"

        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff              /* BOOT_CS: 64-bit code */
        .quad   0x00cf92000000ffff              /* BOOT_DS */
boot_gdt_end:
boot_gdtr:
        .short  boot_gdt_end - boot_gdt - 1
        .long   boot_gdt

        .text
start64_high:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $(bsp_stack + STACK_SIZE - CPUINFO_sizeof), %rsp
        mov     %ebp, %edi                      /* magic */
        mov     boot_info_pa(%rip), %esi        /* boot info */
        xor     %ebp, %ebp                      /* ends backtraces */
        call    start_keel
        ud2

        .section .bss.page_aligned, "aw", @nobits
        .balign PAGE_SIZE
        .globl  boot_l4
boot_l4:        .skip PAGE_SIZE
boot_l3_low:    .skip PAGE_SIZE
        .globl  boot_l3_high
boot_l3_high:   .skip PAGE_SIZE
boot_l2:        .skip PAGE_SIZE

        .section .bss, "aw", @nobits
        .balign 4
boot_info_pa:   .long 0

        .section .bss.stack, "aw", @nobits
        .balign STACK_SIZE
        .globl  bsp_stack
bsp_stack:      .skip STACK_SIZE
