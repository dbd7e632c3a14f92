/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for the write-fault emulation (arch/x86/pv/ptwr.c): dom0's
 * stores to read-only MMCONFIG and MSI-X table frames, and the 16-bit
 * forms of the shared decoder on an L1 page table.  The guest's page
 * table walk (pv_find_l1), guest memory and the page-type rules are fakes.
 */
#include <string.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/page.h>
#include <asm/pci.h>
#include <asm/pv/emulate.h>
#include <asm/pv/entry.h>
#include <asm/pv/mm.h>

#define NR_FRAMES   8UL
#define WALK_L1     1UL             /* the L1 table pv_find_l1() finds */
#define PT_L1       2UL             /* a guest L1 page table (RAM) */
#define MMCFG_BASE  0xb0000UL       /* MMCONFIG frames: bus << 8 | devfn */
#define MMCFG_END   0xc0000UL
#define MSIX_FRAME  0xfebf0UL       /* an MSI-X table page Keel programs */
#define PLAIN_MMIO  0xfeb00UL       /* I/O dom0 may write */
#define VA          0xffffc90000010000UL   /* guest va of the store */
#define BDF         0x0020u         /* 00:04.0 */
#define PFEC_PW     3u              /* present, write */

unsigned long directmap_base;
struct page_info *frame_table;
unsigned long max_page = NR_FRAMES;

static uint8_t arena[NR_FRAMES * PAGE_SIZE] __attribute__((aligned(4096)));
static struct page_info frames[NR_FRAMES];
static struct domain dom0 = { .domain_id = 0, .is_privileged = true };
static struct domain domu = { .domain_id = 1 };
static struct vcpu vcpu;
static struct cpu_regs regs;
static uint8_t code[32];

/* The last config write, and how many there were. */
static struct { unsigned int bdf, reg, bytes, n; uint32_t val; } conf;
/* The last L1 update. */
static struct { unsigned int slot, n; uint64_t val; } l1upd;

/* ---- the rest of Keel, faked ---- */

size_t raw_copy(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
    return 0;
}

struct page_info *pv_find_l1(unsigned long va)
{
    return (va >> L2_SHIFT) == (VA >> L2_SHIFT) ? &frame_table[WALK_L1]
                                                : NULL;
}

bool pci_mmcfg_frame(mfn_t mfn, unsigned int *bdf)
{
    if (mfn_x(mfn) < MMCFG_BASE || mfn_x(mfn) >= MMCFG_END)
        return false;
    if (bdf)
        *bdf = mfn_x(mfn) - MMCFG_BASE;
    return true;
}

bool pagetype_iomem_ro(mfn_t mfn)
{
    return pci_mmcfg_frame(mfn, NULL) || mfn_x(mfn) == MSIX_FRAME;
}

void pv_conf_write(const struct domain *d, unsigned int bdf, unsigned int reg,
                   unsigned int bytes, uint32_t val)
{
    assert_ptr_equal(d, &dom0);
    conf.bdf = bdf;
    conf.reg = reg;
    conf.bytes = bytes;
    conf.val = val;
    conf.n++;
}

unsigned long pagetype_get_validated(struct page_info *pg)
{
    return pg == &frame_table[PT_L1] ? PGT_l1_page_table : PGT_none;
}

void put_page_type(struct page_info *pg)
{
    assert_ptr_equal(pg, &frame_table[PT_L1]);
}

int mod_l1_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad)
{
    (void)d, (void)preserve_ad;
    ((uint64_t *)page_to_virt(pg))[slot] = val;
    l1upd.slot = slot;
    l1upd.val = val;
    l1upd.n++;
    return 0;
}

/* ---- helpers ---- */

static uint64_t *table(unsigned long mfn)
{
    return mfn_to_virt(_mfn(mfn));
}

/* va's L1 entry maps mfn with flags. */
static void map(unsigned long va, unsigned long mfn, uint64_t flags)
{
    table(WALK_L1)[l1_index(va)] = (uint64_t)mfn << PAGE_SHIFT | flags;
}

static int setup(void **state)
{
    (void)state;
    directmap_base = (unsigned long)arena;
    frame_table = frames;
    memset(arena, 0, sizeof(arena));
    memset(&conf, 0, sizeof(conf));
    memset(&l1upd, 0, sizeof(l1upd));
    memset(&regs, 0, sizeof(regs));
    vcpu.domain = &dom0;
    vcpu.arch.kernel_mode = true;
    frames[PT_L1].owner = &dom0;
    regs.error_code = PFEC_PW;
    regs.rax = 0x1122334455667788UL;
    return 0;
}

/* The fault of code at rip (its length len) storing to cr2. */
static bool fault(const void *insn, size_t len, unsigned long cr2)
{
    memset(code, 0x90, sizeof(code));
    memcpy(code, insn, len);
    regs.rip = (unsigned long)code;
    return pv_ptwr_fault(&vcpu, &regs, cr2);
}

/* The store was emulated: config write (bytes, val) at reg, rip moved on. */
static void check_conf(size_t len, unsigned int reg, unsigned int bytes,
                       uint32_t val)
{
    assert_int_equal(conf.n, 1);
    assert_int_equal(conf.bdf, BDF);
    assert_int_equal(conf.reg, reg);
    assert_int_equal(conf.bytes, bytes);
    assert_int_equal(conf.val, val);
    assert_int_equal(regs.rip, (unsigned long)code + len);
}

static void check_refused(void)
{
    assert_int_equal(conf.n, 0);
    assert_int_equal(l1upd.n, 0);
    assert_int_equal(regs.rip, (unsigned long)code);
}

/* ---- tests ---- */

/* What Linux's mmio_config_write{b,w,l} and writel compile to. */
static void test_mmcfg_store_forms(void **state)
{
    static const struct {
        uint8_t insn[8];
        size_t len;
        unsigned int reg, bytes;
        uint32_t val;
        unsigned long disp;
    } t[] = {
        { { 0x88, 0x07 }, 2, 0x104, 1, 0x88, 0 },       /* mov %al,(%rdi) */
        { { 0x66, 0x89, 0x07 }, 3, 0x14e, 2, 0x7788, 0 },   /* %ax,(%rdi) */
        { { 0x89, 0x07 }, 2, 0x12c, 4, 0x55667788, 0 },     /* %eax,(%rdi) */
        { { 0x41, 0x88, 0x00 }, 3, 0x105, 1, 0x88, 0 },     /* %al,(%r8) */
        { { 0x66, 0x41, 0x89, 0x00 }, 4, 0x10, 2, 0x7788, 0 }, /* %ax,(%r8) */
        { { 0x89, 0x47, 0x10 }, 3, 0x3c, 4, 0x55667788, 0x10 }, /* 0x10(%rdi) */
        { { 0xc6, 0x07, 0x5a }, 3, 0x3d, 1, 0x5a, 0 },  /* movb $0x5a */
        { { 0x66, 0xc7, 0x07, 0x34, 0x12 }, 5, 0x4, 2, 0x1234, 0 },
        { { 0xc7, 0x07, 0x78, 0x56, 0x34, 0xf2 }, 6, 0xffc, 4, 0xf2345678, 0 },
    };
    unsigned int k;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(t); k++) {
        unsigned long cr2 = VA + t[k].reg;

        setup(NULL);
        map(VA, MMCFG_BASE + BDF, _PAGE_PRESENT | _PAGE_USER);
        regs.rdi = cr2 - t[k].disp;
        regs.r8 = cr2;
        assert_true(fault(t[k].insn, t[k].len, cr2));
        check_conf(t[k].len, t[k].reg, t[k].bytes, t[k].val);
    }
}

static void test_mmcfg_refused(void **state)
{
    static const uint8_t movq[] = { 0x48, 0x89, 0x07 };
    static const uint8_t movl[] = { 0x89, 0x07 };
    static const uint8_t orl[] = { 0x09, 0x07 };

    (void)state;
    map(VA, MMCFG_BASE + BDF, _PAGE_PRESENT);
    regs.rdi = VA + 0x100;
    assert_false(fault(movq, sizeof(movq), VA + 0x100));  /* 8 bytes */
    assert_false(fault(orl, sizeof(orl), VA + 0x100));    /* not a mov */
    regs.rdi = VA + 0x102;
    assert_false(fault(movl, sizeof(movl), VA + 0x102));  /* misaligned */
    regs.rdi = VA + 0x104;
    assert_false(fault(movl, sizeof(movl), VA + 0x100));  /* not cr2 */
    check_refused();
    regs.rdi = VA + 0x100;
    vcpu.arch.kernel_mode = false;                        /* user mode */
    assert_false(fault(movl, sizeof(movl), VA + 0x100));
    vcpu.arch.kernel_mode = true;
    regs.error_code = 1;                                  /* a read */
    assert_false(fault(movl, sizeof(movl), VA + 0x100));
    regs.error_code = PFEC_PW;
    vcpu.domain = &domu;                                  /* not dom0 */
    assert_false(fault(movl, sizeof(movl), VA + 0x100));
    vcpu.domain = &dom0;
    map(VA, MMCFG_BASE + BDF, _PAGE_PRESENT | _PAGE_RW);  /* writable */
    assert_false(fault(movl, sizeof(movl), VA + 0x100));
    map(VA, PLAIN_MMIO, _PAGE_PRESENT);                   /* not Keel's */
    assert_false(fault(movl, sizeof(movl), VA + 0x100));
    map(VA, MMCFG_BASE + BDF, 0);                         /* not present */
    assert_false(fault(movl, sizeof(movl), VA + 0x100));
    check_refused();
    /* And the original #PF is what the guest gets for unmapped va. */
    regs.rdi = VA + (2UL << L2_SHIFT);
    assert_false(fault(movl, sizeof(movl), regs.rdi));
    check_refused();
}

static void test_msix_write_dropped(void **state)
{
    static const uint8_t movl[] = { 0x89, 0x07 };

    (void)state;
    map(VA, MSIX_FRAME, _PAGE_PRESENT);
    regs.rdi = VA + 0x1c;
    assert_true(fault(movl, sizeof(movl), VA + 0x1c));
    assert_int_equal(conf.n, 0);
    assert_int_equal(regs.rip, (unsigned long)code + sizeof(movl));
}

/* The operand-size prefix on an L1 entry: the decoder is shared. */
static void test_l1_word_forms(void **state)
{
    static const uint8_t movw[] = { 0x66, 0x89, 0x07 };
    static const uint8_t cmpxchgw[] = { 0x66, 0x0f, 0xb1, 0x0f };
    static const uint8_t orw_imm[] = { 0x66, 0x81, 0x0f, 0x02, 0x01 };
    unsigned long cr2 = VA + 3 * 8 + 2;

    (void)state;
    map(VA, PT_L1, _PAGE_PRESENT);
    table(PT_L1)[3] = 0x8000000012345067UL;
    regs.rdi = cr2;
    assert_true(fault(movw, sizeof(movw), cr2));
    assert_int_equal(l1upd.n, 1);
    assert_int_equal(l1upd.slot, 3);
    assert_int_equal(l1upd.val, 0x8000000077885067UL);
    /* cmpxchg %cx,(%rdi) that misses: %ax takes the old word, the rest of
     * %rax stays. */
    regs.rcx = 0xabcd;
    regs.rax = 0x1122334455660000UL;
    assert_true(fault(cmpxchgw, sizeof(cmpxchgw), cr2));
    assert_int_equal(l1upd.n, 1);
    assert_int_equal(regs.rax, 0x1122334455667788UL);
    /* Now it matches: the word becomes %cx. */
    assert_true(fault(cmpxchgw, sizeof(cmpxchgw), cr2));
    assert_int_equal(l1upd.n, 2);
    assert_int_equal(l1upd.val, 0x80000000abcd5067UL);
    /* orw $0x102: a 16-bit immediate. */
    assert_true(fault(orw_imm, sizeof(orw_imm), cr2));
    assert_int_equal(l1upd.val, 0x80000000abcf5067UL);
    assert_int_equal(regs.rip, (unsigned long)code + sizeof(orw_imm));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_mmcfg_store_forms, setup),
        cmocka_unit_test_setup(test_mmcfg_refused, setup),
        cmocka_unit_test_setup(test_msix_write_dropped, setup),
        cmocka_unit_test_setup(test_l1_word_forms, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
