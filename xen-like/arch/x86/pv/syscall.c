/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `syscall` from a PV guest lands on a small per-CPU stub: syscall keeps
 * the guest's stack, so the stub (which knows its CPU's stack top as an
 * immediate) switches to it and builds the same frame an exception would,
 * with vector VEC_SYSCALL, then joins common_entry.
 */
#include <hv/config.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/pv/vcpu.h>

#define STUBS_VIRT_START    (KEEL_VIRT_BASE + KEEL_VIRT_SIZE)
#define CSTAR_STUB_OFFSET   128
#define SYSCALL_FMASK       ((1u << 18) | (1u << 17) | (1u << 16) | \
                             (1u << 14) | (1u << 10) | (1u << 9) | (1u << 8))

extern const char common_entry[];

struct emitter {
    uint8_t *p;
};

static void emit8(struct emitter *e, uint8_t b)
{
    *e->p++ = b;
}

static void emit32(struct emitter *e, uint32_t v)
{
    memcpy(e->p, &v, 4);
    e->p += 4;
}

static void emit64(struct emitter *e, uint64_t v)
{
    memcpy(e->p, &v, 8);
    e->p += 8;
}

static void emit_bytes(struct emitter *e, const uint8_t *b, size_t n)
{
    memcpy(e->p, b, n);
    e->p += n;
}

/* top: this CPU's frame top (its cpu_info); va: where the stub will run. */
static void write_stub(uint8_t *buf, unsigned long va, unsigned long top,
                       uint32_t vector)
{
    static const uint8_t mov_rsp_rax[] = { 0x48, 0x89, 0xe0 };
    static const uint8_t xchg_rax_stack[] = { 0x48, 0x87, 0x04, 0x24 };
    static const uint8_t movq_ss_slot[] = { 0x48, 0xc7, 0x44, 0x24, 0x08 };
    struct emitter e = { buf };
    unsigned long rsp_slot = top - 16;

    emit8(&e, 0x48), emit8(&e, 0xa3), emit64(&e, rsp_slot);   /* rax->slot */
    emit_bytes(&e, mov_rsp_rax, sizeof(mov_rsp_rax));
    emit8(&e, 0x48), emit8(&e, 0xbc), emit64(&e, rsp_slot);   /* rsp=slot */
    emit_bytes(&e, xchg_rax_stack, sizeof(xchg_rax_stack));    /* rsp<->rax */
    emit_bytes(&e, movq_ss_slot, sizeof(movq_ss_slot));
    emit32(&e, GUEST_DS);                                      /* ss */
    emit8(&e, 0x41), emit8(&e, 0x53);                          /* r11 */
    emit8(&e, 0x68), emit32(&e, GUEST_CS64);                   /* cs */
    emit8(&e, 0x51);                                           /* rcx */
    emit8(&e, 0x6a), emit8(&e, 0x00);                          /* error */
    emit8(&e, 0x68), emit32(&e, vector);                       /* vector */
    emit8(&e, 0xe9);                                           /* jmp */
    emit32(&e, (uint32_t)((unsigned long)common_entry -
                          (va + (e.p - buf) + 4)));
}

/* Builds this CPU's stubs and points the syscall MSRs at them. */
int pv_syscall_init_cpu(void)
{
    struct cpu_info *ci = get_cpu_info();
    unsigned long va = STUBS_VIRT_START + ci->cpu_id * PAGE_SIZE;
    uint8_t *page = alloc_xenheap_pages(0);

    if (!page)
        return -1;
    memset(page, 0xcc, PAGE_SIZE);                 /* int3 padding */
    write_stub(page, va, (unsigned long)ci, VEC_SYSCALL);
    write_stub(page + CSTAR_STUB_OFFSET, va + CSTAR_STUB_OFFSET,
               (unsigned long)ci, VEC_SYSCALL32);
    map_pages(va, virt_to_maddr(page), 1, PAGE_HYPERVISOR);

    wrmsr(MSR_STAR, ((uint64_t)GUEST_CS32 << 48) | ((uint64_t)HV_CS << 32));
    wrmsr(MSR_LSTAR, va);
    wrmsr(MSR_CSTAR, va + CSTAR_STUB_OFFSET);
    wrmsr(MSR_FMASK, SYSCALL_FMASK);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    return 0;
}
