/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPUID a PV guest sees through forced emulation: the Xen leaves, and
 * the host's leaves filtered to features that work at CPL 3 under Keel.
 * Pure (no cpuid instruction here), so host unit tests can feed it values.
 */
#include <hv/types.h>
#include <asm/pv/emulate.h>

#define BIT(n)              (1u << (n))

/* Highest leaves a guest is told of (as Xen 4.17's PV default policy). */
#define MAX_BASIC_LEAF      0xdu
#define MAX_EXTD_LEAF       0x80000008u

/* The Xen leaves (public/arch-x86/cpuid.h), at their first base only. */
#define XEN_LEAF_BASE       0x40000000u
#define XEN_LEAF_LAST       (XEN_LEAF_BASE + 2)
#define XEN_SIG_EBX         0x566e6558u     /* "XenV" */
#define XEN_SIG_ECX         0x65584d4du     /* "MMXe" */
#define XEN_SIG_EDX         0x4d4d566eu     /* "nVMM" */
#define XEN_VERSION_4_17    ((4u << 16) | 17u)  /* as XENVER_version */
#define XEN_HYPERCALL_MSR   0x40000000u
#define XEN_FEAT1_PRESERVE_AD  BIT(0)       /* MMU_PT_UPDATE_PRESERVE_AD */

/*
 * Allow-lists: a bit not named here never reaches a guest, so features a
 * newer CPU invents stay hidden until someone decides otherwise.  Hidden
 * on purpose, beyond what simply has no meaning for PV: VMX/SVM, MONITOR,
 * x2APIC, TSC-deadline, PCID/INVPCID, SMEP/SMAP/UMIP/PKU/LA57 (supervisor
 * features of a ring the guest never runs in), MTRR and MCE/MCA (dom0 uses
 * hypercalls), XSAVE/OSXSAVE and everything that needs it (AVX*, FMA, F16C,
 * XOP, FMA4, the 0xd leaf: the guest uses FXSAVE), FSGSBASE (the guest
 * uses set_segment_base), 1 GiB pages, and the speculation-control bits
 * that promise MSRs Keel does not virtualise.
 */
#define L1_ECX_ALLOW  (BIT(0) /* SSE3 */ | BIT(1) /* PCLMULQDQ */ |         \
                       BIT(9) /* SSSE3 */ | BIT(13) /* CX16 */ |           \
                       BIT(19) /* SSE4.1 */ | BIT(20) /* SSE4.2 */ |       \
                       BIT(22) /* MOVBE */ | BIT(23) /* POPCNT */ |        \
                       BIT(25) /* AES */ | BIT(30) /* RDRAND */)
#define L1_ECX_HYPERVISOR   BIT(31)
#define L1_EDX_ALLOW  (BIT(0) /* FPU */ | BIT(2) /* DE */ | BIT(4) /* TSC */ \
                       | BIT(5) /* MSR */ | BIT(6) /* PAE */ |             \
                       BIT(8) /* CX8 */ | BIT(9) /* APIC */ |              \
                       BIT(11) /* SEP */ | BIT(15) /* CMOV */ |            \
                       BIT(16) /* PAT */ | BIT(19) /* CLFLUSH */ |         \
                       BIT(22) /* ACPI */ | BIT(23) /* MMX */ |            \
                       BIT(24) /* FXSR */ | BIT(25) /* SSE */ |            \
                       BIT(26) /* SSE2 */ | BIT(27) /* SS */ |             \
                       BIT(28) /* HTT */)
#define L1_EAX_FMS          0x0fff0fffu     /* no Intel processor type */
#define L1_EBX_NO_APIC_ID   0x00ffffffu     /* initial APIC ID reads 0 */

#define L7_EBX_ALLOW  (BIT(3) /* BMI1 */ | BIT(4) /* HLE */ |               \
                       BIT(6) /* FDP_EXCP_ONLY */ | BIT(8) /* BMI2 */ |    \
                       BIT(9) /* ERMS */ | BIT(11) /* RTM */ |             \
                       BIT(13) /* NO_FPU_SEL */ | BIT(18) /* RDSEED */ |   \
                       BIT(19) /* ADX */ | BIT(23) /* CLFLUSHOPT */ |      \
                       BIT(24) /* CLWB */ | BIT(29) /* SHA */)
#define L7_ECX_ALLOW  (BIT(0) /* PREFETCHWT1 */ | BIT(8) /* GFNI */ |       \
                       BIT(22) /* RDPID */ | BIT(25) /* CLDEMOTE */)
#define L7_EDX_ALLOW  (BIT(4) /* FSRM */ | BIT(10) /* MD_CLEAR */ |         \
                       BIT(11) /* RTM_ALWAYS_ABORT */ |                    \
                       BIT(14) /* SERIALIZE */)

/* AMD mirrors these leaf 1 EDX bits in 0x80000001 EDX. */
#define E1_EDX_COMMON       0x0183f3ffu
#define E1_ECX_ALLOW  (BIT(0) /* LAHF_LM */ | BIT(1) /* CMP_LEGACY */ |     \
                       BIT(5) /* ABM */ | BIT(6) /* SSE4A */ |             \
                       BIT(7) /* MISALIGNSSE */ |                          \
                       BIT(8) /* 3DNOWPREFETCH */ | BIT(21) /* TBM */)
#define E1_EDX_ALLOW  ((L1_EDX_ALLOW & E1_EDX_COMMON) |                     \
                       BIT(11) /* SYSCALL */ | BIT(20) /* NX */ |          \
                       BIT(22) /* MMXEXT */ | BIT(25) /* FFXSR */ |        \
                       BIT(27) /* RDTSCP */ | BIT(29) /* LM */ |           \
                       BIT(30) /* 3DNOWEXT */ | BIT(31) /* 3DNOW */)
#define E8_EAX_ADDR_BITS    0x0000ffffu     /* physical and linear only */
#define E8_EBX_ALLOW  (BIT(0) /* CLZERO */ | BIT(2) /* RSTR_FP_ERR_PTRS */ | \
                       BIT(26) /* SSB_NO */ | BIT(29) /* BTC_NO */)
#define E8_ECX_CORES        0x0003f0ffu     /* core count, APIC id size */

static void clear(struct cpuid_regs *r)
{
    r->eax = r->ebx = r->ecx = r->edx = 0;
}

static void xen_leaf(uint32_t leaf, struct cpuid_regs *r)
{
    clear(r);
    switch (leaf) {
    case XEN_LEAF_BASE:
        r->eax = XEN_LEAF_LAST;
        r->ebx = XEN_SIG_EBX;
        r->ecx = XEN_SIG_ECX;
        r->edx = XEN_SIG_EDX;
        break;
    case XEN_LEAF_BASE + 1:
        r->eax = XEN_VERSION_4_17;
        break;
    case XEN_LEAF_BASE + 2:
        r->eax = 1;                     /* hypercall pages */
        r->ebx = XEN_HYPERCALL_MSR;
        r->ecx = XEN_FEAT1_PRESERVE_AD;
        break;
    }
}

static void basic_leaf(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    switch (leaf) {
    case 0x0:
        r->eax = MIN(r->eax, MAX_BASIC_LEAF);
        break;
    case 0x1:
        r->eax &= L1_EAX_FMS;
        r->ebx &= L1_EBX_NO_APIC_ID;
        r->ecx = (r->ecx & L1_ECX_ALLOW) | L1_ECX_HYPERVISOR;
        r->edx &= L1_EDX_ALLOW;
        break;
    case 0x2:                           /* cache and TLB descriptors */
    case 0x4:                           /* deterministic cache parameters */
        break;
    case 0x7:
        if (subleaf) {
            clear(r);
            break;
        }
        r->eax = 0;                     /* no subleaf 1, 2 */
        r->ebx &= L7_EBX_ALLOW;
        r->ecx &= L7_ECX_ALLOW;
        r->edx &= L7_EDX_ALLOW;
        break;
    default:    /* serial number, MONITOR, power, DCA, PMU, topology, XSAVE */
        clear(r);
        break;
    }
}

static void extended_leaf(uint32_t leaf, struct cpuid_regs *r)
{
    switch (leaf) {
    case 0x80000000:
        r->eax = MIN(r->eax, MAX_EXTD_LEAF);
        break;
    case 0x80000001:
        r->ecx &= E1_ECX_ALLOW;
        r->edx &= E1_EDX_ALLOW;
        break;
    case 0x80000002 ... 0x80000006:     /* brand string, caches */
        break;
    case 0x80000008:
        r->eax &= E8_EAX_ADDR_BITS;
        r->ebx &= E8_EBX_ALLOW;
        r->ecx &= E8_ECX_CORES;
        r->edx = 0;
        break;
    default:                            /* 0x80000007: power and RAS */
        clear(r);
        break;
    }
}

void pv_cpuid_policy(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    if (leaf <= MAX_BASIC_LEAF)
        basic_leaf(leaf, subleaf, r);
    else if (leaf >= 0x80000000 && leaf <= MAX_EXTD_LEAF)
        extended_leaf(leaf, r);
    else if (leaf >= XEN_LEAF_BASE && leaf <= XEN_LEAF_LAST)
        xen_leaf(leaf, r);
    else
        clear(r);       /* other hypervisors' bases, and all the rest */
}
