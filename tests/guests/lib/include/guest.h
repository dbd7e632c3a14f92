/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test-kernel library: boot state, console, report, traps and the
 * expected-fault table, events, time and page-table helpers.
 */
#ifndef GUEST_H
#define GUEST_H

#include <guest-abi.h>
#include <hypercall.h>

#define VIRT_BASE 0xffffffff80000000UL
#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __aligned(n) __attribute__((aligned(n)))
#define __page_aligned_bss __attribute__((section(".bss.page_aligned"), \
                                          aligned(4096)))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define barrier() asm volatile("" ::: "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* PTE bits (the guest sees what Xen stores, including forced bits). */
#define PTE_P 0x001UL
#define PTE_RW 0x002UL
#define PTE_US 0x004UL
#define PTE_A 0x020UL
#define PTE_D 0x040UL
#define PTE_PSE 0x080UL
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL

/* Addresses that are never valid guest buffers. */
#define BAD_PTR_UNMAPPED ((void *)0x1000UL)           /* nothing mapped */
#define BAD_PTR_HOLE ((void *)0xffff800000000000UL)   /* hypervisor hole */
#define BAD_PTR_NONCANON ((void *)0x8000000000000000UL)

/* Exception vectors. */
enum {
    X86_EXC_DE = 0, X86_EXC_DB = 1, X86_EXC_NMI = 2, X86_EXC_BP = 3,
    X86_EXC_OF = 4, X86_EXC_BR = 5, X86_EXC_UD = 6, X86_EXC_NM = 7,
    X86_EXC_DF = 8, X86_EXC_TS = 10, X86_EXC_NP = 11, X86_EXC_SS = 12,
    X86_EXC_GP = 13, X86_EXC_PF = 14, X86_EXC_MF = 16, X86_EXC_AC = 17,
    X86_EXC_MC = 18, X86_EXC_XM = 19,
};
#define TRAP_EVENT 0x100  /* pseudo vector: the event upcall */
#define TRAP_SYSCALL 0x101  /* pseudo vector: syscall from guest user */
#define X86_EFLAGS_TF 0x100UL
#define X86_EFLAGS_IF 0x200UL

/* What the entry stubs save; matches the push order in entry.S. */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;   /* the bounce frame, as delivered */
};

/* --- boot state (setup.c) --- */
extern struct start_info *start_info;
extern struct shared_info *shared_info;     /* mapped during setup */
extern char _image_start[], _image_end[];
void test_main(void);                       /* every test defines this */
/*
 * vcpu 0's vcpu_info: &shared_info->vcpu_info[0] until a test moves it
 * with VCPUOP_register_vcpu_info and points this at the new area.  The
 * event path, time and the #PF cr2 all go through vcpu0_info().
 */
extern struct vcpu_info *vcpu_info_area;
static inline struct vcpu_info *vcpu0_info(void)
{
    return vcpu_info_area;
}

/* --- console (console.c) --- */
void console_write(const char *s, unsigned int len);
int printk(const char *fmt, ...) __printf(1, 2);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* --- results (report.c): the worst state wins; one line at the end --- */
void report_skip(const char *fmt, ...) __printf(1, 2);
void report_error(const char *fmt, ...) __printf(1, 2);
void report_fail(const char *fmt, ...) __printf(1, 2);
__noreturn void report_finish(void);
bool report_failed(void);               /* an ERROR or FAILURE so far */
__noreturn void shutdown_poweroff(void);
/* Compare a hypercall (or any) result with the expected value. */
#define CHECK_RC(what, got, want)                                           \
    do {                                                                    \
        long c_got = (long)(got), c_want = (long)(want);                    \
        if (c_got != c_want)                                                \
            report_fail("%s: got %ld, expected %ld", what, c_got, c_want);  \
    } while (0)
#define CHECK(cond, fmt, ...)                                               \
    do {                                                                    \
        if (!(cond))                                                        \
            report_fail(fmt, ##__VA_ARGS__);                                \
    } while (0)

/* --- traps (traps.c, entry.S) --- */
/*
 * Expected faults: put the instruction that may fault at a local label and
 * name where to continue with EXTABLE(from, to).  For faults `from` is the
 * faulting instruction; for traps (int3, into) it is the instruction after.
 * The handler records the event in trap_last and resumes at `to`.  Any
 * exception without an entry ends the test with an ERROR.
 */
#define EXTABLE_S(from, to)                                                 \
    ".pushsection .ex_table, \"a\"\n\t.balign 8\n\t.quad " from ", " to     \
    "\n\t.popsection\n\t"
#define EXTABLE(from, to) EXTABLE_S(#from, #to)

struct trap_record {
    unsigned int count;          /* exceptions taken since trap_reset() */
    unsigned int vector;
    uint64_t error_code;         /* ~0 if the vector has none */
    uint64_t rip, cs, rflags, rsp, ss;
    uint64_t rcx, r11;           /* as restored from the bounce frame */
    uint64_t cr2;                /* vcpu_info->arch.cr2 at #PF time */
    unsigned int upcall_mask;    /* vcpu_info's mask inside the handler */
};
extern struct trap_record trap_last;
void trap_reset(void);
/* One run-time EXTABLE entry, for faults at computed addresses. */
void trap_set_fixup(unsigned long from, unsigned long to);
/* Call code at addr; a fault on fetching addr itself returns normally. */
void trap_call_at(unsigned long addr);
/* Install the default table (vectors 0-31 -> entry.S stubs). */
void traps_init(void);
typedef void (*event_handler_fn)(evtchn_port_t port);
/* Stubs for int $0x80 / $0x81 gates (vector 0x80 / 0x81, no error code). */
extern char trap_stub_0x80[], trap_stub_0x81[];

/*
 * Guest user mode.  The caller installs a user L4 (NEW_USER_BASEPTR), a
 * kernel stack (stack_switch) and, for syscall, CALLBACKTYPE_syscall at
 * syscall_entry.  user_enter() irets to r->rip/rsp/rflags with r's other
 * registers and FLAT_USER_CS/SS; the first bounce out of user mode (any
 * exception, int, or syscall: vector TRAP_SYSCALL) is recorded in
 * trap_last and user_exit_regs, and user_enter() returns.  Events stay
 * masked as the bounce left them.
 */
extern char syscall_entry[];
extern struct cpu_regs user_exit_regs;
void user_enter(const struct cpu_regs *r);
__noreturn void user_leave(void);

/* --- events (events.c) --- */
void events_init(void);              /* registers event + failsafe callbacks */
void event_set_handler(evtchn_port_t port, event_handler_fn fn);
#define EVTCHN_TRACKED 1024   /* ports with a counter and a handler slot */
extern volatile unsigned int event_count[EVTCHN_TRACKED];
static inline void events_mask_all(void)
{
    vcpu0_info()->evtchn_upcall_mask = 1;
}
void events_unmask_all(void);        /* clears the mask, delivers pending */
bool evtchn_test_pending(evtchn_port_t port);
bool evtchn_test_masked(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);
void evtchn_set_mask(evtchn_port_t port);
void evtchn_clear_mask(evtchn_port_t port);
/* Thin EVTCHNOP wrappers: the port (>= 0) or -XEN_E*. */
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu);
long evtchn_alloc_unbound(domid_t remote);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port);
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);
long evtchn_unmask(evtchn_port_t port);

/* --- time (time.c) --- */
uint64_t time_now_ns(void);          /* Xen system time from vcpu_time_info */
uint64_t rdtsc(void);

/* --- memory (mm.c) --- */
static inline unsigned long mm_pfn_to_va(unsigned long pfn)
{
    return VIRT_BASE + (pfn << PAGE_SHIFT);
}
static inline unsigned long mm_va_to_pfn(unsigned long va)
{
    return (va - VIRT_BASE) >> PAGE_SHIFT;
}
unsigned long mm_pfn_to_mfn(unsigned long pfn);
unsigned long mm_mfn_to_pfn(unsigned long mfn);
unsigned long mm_va_to_mfn(unsigned long va);
/* Machine address of the L1 entry mapping va, 0 if not mapped by 4K PTE. */
uint64_t mm_l1e_maddr(unsigned long va);
uint64_t mm_l1e_read(unsigned long va);   /* current PTE, 0 if none */
/* The (read-only mapped) table at level 4..1 on the walk to va, or NULL. */
uint64_t *mm_table(unsigned long va, unsigned int level);
/* One MMU_NORMAL_PT_UPDATE / one mmuext_op (arg2: nr_ents, mask, ...). */
long mm_update(uint64_t ptr, uint64_t val);
long mm_mmuext(unsigned int cmd, unsigned long arg1, unsigned long arg2);
/* Remap va to its own frame with `flags` (PTE_P|... ), flushing it. */
long mm_set_flags(unsigned long va, uint64_t flags);
/* A RAM frame that is not ours (free heap above 256 MiB), 0 if none. */
unsigned long mm_foreign_ram_mfn(void);
/* invlpg is privileged: MMUEXT_INVLPG_LOCAL / TLB_FLUSH_LOCAL instead. */
void mm_flush_va(unsigned long va);
void mm_flush_tlb(void);
/* Page-aligned spare pages inside the image for tests to remap. */
void *mm_alloc_page(void);
/* A mapped page whose next page is unmapped (for buffers that run off). */
void *mm_page_before_hole(void);

/* --- string.c --- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif /* GUEST_H */
