/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * keelmap: dom0's isolation self-check (M4), run by the initramfs' `hw`
 * test.  Through privcmd, dom0 asks to map into its own address space,
 * writable and as DOMID_SELF, the local APIC page and the machine frames
 * of the M2P table: the hypervisor must refuse each frame.  The IO-APIC
 * page may map, but read-only: Xen 4.17 lets dom0 read its IO-APICs (some
 * firmware's ACPI methods do) and silently drops the write permission, so
 * a write to the mapping must not land.  A page of the BIOS area (dom0 may
 * map the low 1 MiB) must map, but not when dom0 names itself by its
 * domid, 0: Xen refuses a domain naming itself as the foreign owner
 * (get_pg_owner()) whatever the frame.  Then
 * COM1, the hypervisor's serial port: with ioperm() granted, it must not
 * answer like a UART (the LSR and the scratch register read 0xff) and a
 * marker written to its data port must not reach the serial log, which
 * the host-side runner checks (tests/system/hw.sh knows the marker).
 * One line per check; the exit code is 0 only if every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/sys/privcmd.h>

#define PAGE_BYTES 4096UL
#define PRIVCMD "/dev/xen/privcmd"
#define LAPIC_MFN 0xfee00UL   /* the default local APIC base */
#define IOAPIC_MFN 0xfec00UL  /* the first IO-APIC on QEMU's pc and q35 */
#define BIOS_MFN 0xf0UL       /* the BIOS ROM area, 0xf0000 */
#define M2P_MAX_EXTENTS 8     /* 2 MiB each; 1 GiB of RAM needs one */
#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define COM1_SCR (COM1 + 7)
/* Never printed: the runner looks for it in the serial log. */
#define COM1_MARKER "keelmap-com1-write-through"

/*
 * The IO-APIC check's write: no register of QEMU's IO-APIC (it decodes
 * the offset's low byte: 0x00 select, 0x10 window, 0x40 EOI), so should
 * it land it changes nothing; the page's permission is what is tested.
 */
#define PROBE_OFFSET 0xff8
#define WRITE_SECS 1

/* What a mapping check wants: a mapping, a refusal, or no writable one. */
enum want { WANT_MAP, WANT_REFUSED, WANT_NO_WRITE };

static int failed;
static sigjmp_buf fault_jmp;

/* check(ok, fmt, ...): one result line; a failure fails the run. */
static void check(int ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void check(int ok, const char *fmt, ...)
{
    va_list ap;

    printf("keelmap: %s: ", ok ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    failed |= !ok;
}

/*
 * map_frame(fd, dom, mfn, va): maps the machine frame, writable, as owned
 * by dom at va, a fresh privcmd mapping of one page.  Returns 0 if it
 * mapped, the frame's negative error if the hypervisor refused it, or 1
 * if the ioctl itself failed (errno says why).
 */
static int map_frame(int fd, domid_t dom, xen_pfn_t mfn, void *va)
{
    struct privcmd_mmapbatch_v2 batch;
    int err = 0, rc;

    memset(&batch, 0, sizeof(batch));
    batch.num = 1;
    batch.dom = dom;
    batch.addr = (uintptr_t)va;
    batch.arr = &mfn;
    batch.err = &err;
    rc = ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &batch);
    if (rc && errno == ENOENT)      /* a paged-out frame: err says so */
        rc = 0;
    return rc ? 1 : err;
}

static void on_fault(int sig)
{
    siglongjmp(fault_jmp, sig);
}

/* catch_faults(on): SIGSEGV, SIGBUS and SIGALRM end in on_fault(). */
static void catch_faults(int on)
{
    signal(SIGSEGV, on ? on_fault : SIG_DFL);
    signal(SIGBUS, on ? on_fault : SIG_DFL);
    signal(SIGALRM, on ? on_fault : SIG_DFL);
}

/*
 * write_lands(p, sig): whether a store to *p completes.  It does not if it
 * faults (*sig: SIGSEGV, SIGBUS) or is still faulting after WRITE_SECS
 * (*sig: SIGALRM): Linux's fault handler makes the PTE writable and the
 * hypervisor, which grants the frame read-only, keeps it read-only.
 */
static int write_lands(volatile unsigned char *p, int *sig)
{
    *sig = sigsetjmp(fault_jmp, 1);
    if (*sig) {
        alarm(0);
        catch_faults(0);
        return 0;
    }
    catch_faults(1);
    alarm(WRITE_SECS);
    *p = 0;
    alarm(0);
    catch_faults(0);
    return 1;
}

/* expect_read_only(what, mfn, va): a granted mapping takes no write. */
static void expect_read_only(const char *what, xen_pfn_t mfn,
                             unsigned char *va)
{
    int sig;

    if (write_lands(va + PROBE_OFFSET, &sig))
        check(0, "%s mfn %#lx: mapped writable, a write went through",
              what, (unsigned long)mfn);
    else
        check(1, "%s mfn %#lx: mapped read-only (a write: %s)", what,
              (unsigned long)mfn,
              sig == SIGALRM ? "still faulting after 1 s" : strsignal(sig));
}

/* expect_map(fd, dom, what, mfn, want): one mapping check. */
static void expect_map(int fd, domid_t dom, const char *what, xen_pfn_t mfn,
                       enum want want)
{
    unsigned long m = mfn;
    void *va;
    int rc;

    va = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (va == MAP_FAILED) {
        check(0, "mmap %s: %s", PRIVCMD, strerror(errno));
        return;
    }
    rc = map_frame(fd, dom, mfn, va);
    if (rc == 1)
        check(0, "%s mfn %#lx: privcmd ioctl: %s", what, m, strerror(errno));
    else if (rc < 0)
        check(want != WANT_MAP, "%s mfn %#lx: refused (%s)%s", what, m,
              strerror(-rc), want == WANT_MAP ? ", must map" : "");
    else if (want == WANT_MAP)
        check(1, "%s mfn %#lx: mapped (first byte %#04x)", what, m,
              *(volatile unsigned char *)va);
    else if (want == WANT_REFUSED)
        check(0, "%s mfn %#lx: mapped, must be refused", what, m);
    else
        expect_read_only(what, mfn, va);
    munmap(va, PAGE_BYTES);
}

/*
 * m2p_frames(fd, mfns, max): the first frames of the M2P table's 2 MiB
 * extents, from XENMEM_machphys_mfn_list; their count, or -1.
 */
static int m2p_frames(int fd, xen_pfn_t *mfns, unsigned int max)
{
    struct xen_machphys_mfn_list list;
    struct privcmd_hypercall call;
    long rc;

    memset(&list, 0, sizeof(list));
    list.max_extents = max;
    set_xen_guest_handle(list.extent_start, mfns);
    memset(&call, 0, sizeof(call));
    call.op = __HYPERVISOR_memory_op;
    call.arg[0] = XENMEM_machphys_mfn_list;
    call.arg[1] = (uintptr_t)&list;
    rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);
    if (rc < 0) {
        check(0, "XENMEM_machphys_mfn_list: %s", strerror(errno));
        return -1;
    }
    if (list.nr_extents == 0 || list.nr_extents > max) {
        check(0, "XENMEM_machphys_mfn_list: %u extents", list.nr_extents);
        return -1;
    }
    return (int)list.nr_extents;
}

static void check_memory(void)
{
    static xen_pfn_t m2p[M2P_MAX_EXTENTS];
    int fd, i, n;

    fd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        check(0, "open %s: %s", PRIVCMD, strerror(errno));
        return;
    }
    expect_map(fd, DOMID_SELF, "BIOS area", BIOS_MFN, WANT_MAP);
    expect_map(fd, 0, "BIOS area as domid 0", BIOS_MFN, WANT_REFUSED);
    expect_map(fd, DOMID_SELF, "local APIC", LAPIC_MFN, WANT_REFUSED);
    expect_map(fd, DOMID_SELF, "IO-APIC", IOAPIC_MFN, WANT_NO_WRITE);
    n = m2p_frames(fd, m2p, M2P_MAX_EXTENTS);
    for (i = 0; i < n; i++)
        expect_map(fd, DOMID_SELF, "M2P table", m2p[i], WANT_REFUSED);
    close(fd);
}

/*
 * check_com1: with the ports granted by ioperm(), Xen emulates dom0's
 * accesses and, COM1 being its own, reads all-ones and drops writes.
 */
static void check_com1(void)
{
    unsigned char lsr, scr;
    const char *c;
    int sig;

    if (ioperm(COM1, 8, 1)) {
        check(0, "ioperm(%#x, 8): %s", COM1, strerror(errno));
        return;
    }
    sig = sigsetjmp(fault_jmp, 1);
    if (sig) {
        catch_faults(0);
        check(0, "COM1: port access faulted (%s) despite ioperm()",
              strsignal(sig));
        return;
    }
    catch_faults(1);
    lsr = inb(COM1_LSR);
    check(lsr == 0xff, "COM1 LSR reads %#04x (0xff: no UART for dom0)", lsr);
    outb(0x5a, COM1_SCR);
    scr = inb(COM1_SCR);
    check(scr == 0xff, "COM1 scratch register reads %#04x after 0x5a "
          "(0xff: dropped)", scr);
    for (c = COM1_MARKER; *c; c++)
        outb((unsigned char)*c, COM1);
    printf("keelmap: wrote a %zu-byte marker to COM1's data port "
           "(the runner checks the serial log)\n", strlen(COM1_MARKER));
    catch_faults(0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mlockall(MCL_CURRENT | MCL_FUTURE))
        check(0, "mlockall: %s", strerror(errno));
    check_memory();
    check_com1();
    printf("keelmap: %s\n", failed ? "FAIL" : "all checks held");
    return failed;
}
