/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * keelstress: dom0's stress and timekeeping self-check (M3), run by the
 * initramfs' `stress` test.  Four workers run side by side for N seconds:
 * a fork/exec loop, a memory toucher, a pinned pipe ping-pong and clock
 * checks; a fifth, `sleep`, times busybox's `sleep 1` on a quiet system.
 * Each prints one "keelstress: <worker>: ok|FAIL: ..." line; the exit code
 * is 0 only if every worker held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSEC_PER_SEC 1000000000LL
#define PAGE_BYTES 4096UL
#define MAX_JUMP_NS NSEC_PER_SEC            /* between consecutive reads */
#define SLEEP_MIN_NS (NSEC_PER_SEC * 9 / 10) /* `sleep 1` must take ... */
#define SLEEP_MAX_NS (NSEC_PER_SEC * 3 / 2)  /* ... 0.9 s to 1.5 s */
#define STOP_TOKEN 0xffffffffu

static long long duration_ns = 60 * NSEC_PER_SEC;
static long long deadline;

static long long now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int time_left(void)
{
    return now_ns(CLOCK_MONOTONIC) < deadline;
}

/* report(name, ok, fmt, ...): a worker's one result line. */
static int report(const char *name, int ok, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    printf("keelstress: %s: %s%s\n", name, ok ? "ok: " : "FAIL: ", msg);
    fflush(stdout);
    return ok ? 0 : 1;
}

/* spawn(argv): fork, exec argv[0], wait; returns the exit status or -1. */
static int spawn(char *const argv[])
{
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static int worker_forkexec(void)
{
    char *const argv[] = { "/bin/true", NULL };
    unsigned long n = 0;
    int rc;

    while (time_left()) {
        rc = spawn(argv);
        if (rc != 0)
            return report("forkexec", 0, "/bin/true #%lu: %s %d", n,
                          rc < 0 ? "fork/wait failed, errno" : "exit",
                          rc < 0 ? errno : rc);
        n++;
    }
    if (n < 10)
        return report("forkexec", 0, "only %lu fork/exec in the time", n);
    return report("forkexec", 1, "%lu fork/exec/wait", n);
}

/* MemAvailable from /proc/meminfo, in bytes; 0 if unreadable. */
static unsigned long mem_available(void)
{
    char line[128];
    unsigned long kb = 0;
    FILE *f = fopen("/proc/meminfo", "r");

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "MemAvailable: %lu kB", &kb) == 1)
            break;
    fclose(f);
    return kb * 1024;
}

/* One round: map half of MemAvailable, write every page, read it back. */
static int mem_round(unsigned long round, unsigned long *bytes)
{
    unsigned long size = mem_available() / 2 / PAGE_BYTES * PAGE_BYTES;
    unsigned long i, pages = size / PAGE_BYTES, bad = 0;
    volatile unsigned long *p;

    if (size == 0)
        return report("mem", 0, "no MemAvailable in /proc/meminfo");
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    if (p == MAP_FAILED)
        return report("mem", 0, "mmap %lu MiB: %s", size >> 20,
                      strerror(errno));
    for (i = 0; i < pages; i++)
        p[i * PAGE_BYTES / sizeof(*p)] = i ^ round;
    for (i = 0; i < pages; i++)
        bad += p[i * PAGE_BYTES / sizeof(*p)] != (i ^ round);
    munmap((void *)p, size);
    if (bad)
        return report("mem", 0, "round %lu: %lu of %lu pages lost data",
                      round, bad, pages);
    *bytes += size;
    return 0;
}

static int worker_mem(void)
{
    unsigned long round = 0, bytes = 0;

    while (time_left()) {
        if (mem_round(round, &bytes))
            return 1;
        round++;
    }
    if (round == 0)
        return report("mem", 0, "no round in the time");
    return report("mem", 1, "%lu rounds, %lu MiB touched and freed", round,
                  bytes >> 20);
}

/* pin(cpu): run only on cpu; 0 on success. */
static int pin(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}

/* The echoing side: read n, check it, send n + 1, until STOP_TOKEN. */
static void pong(int rd, int wr, int cpu)
{
    uint32_t v, want = 0;

    if (pin(cpu) || sched_getcpu() != cpu)
        _exit(2);
    while (read(rd, &v, sizeof(v)) == sizeof(v) && v != STOP_TOKEN) {
        if (v != want || sched_getcpu() != cpu)
            _exit(3);
        v++;
        want = v + 1;
        if (write(wr, &v, sizeof(v)) != sizeof(v))
            _exit(4);
    }
    _exit(v == STOP_TOKEN ? 0 : 5);
}

/* The driving side; returns round trips, or -1 with *why set. */
static long ping(int rd, int wr, int cpu, const char **why)
{
    uint32_t v = 0, got;
    long n = 0;

    if (pin(cpu) || sched_getcpu() != cpu)
        return *why = "cannot pin the parent", -1;
    while (time_left()) {
        if (write(wr, &v, sizeof(v)) != sizeof(v) ||
            read(rd, &got, sizeof(got)) != sizeof(got))
            return *why = "pipe read/write failed", -1;
        if (got != v + 1)
            return *why = "wrong value back", -1;
        if (sched_getcpu() != cpu)
            return *why = "parent left its CPU", -1;
        v += 2;
        n++;
    }
    v = STOP_TOKEN;
    if (write(wr, &v, sizeof(v)) != sizeof(v))
        return *why = "cannot stop the child", -1;
    return n;
}

static int worker_pingpong(void)
{
    int to_child[2], to_parent[2], status;
    const char *why = NULL;
    long n;
    pid_t pid;

    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return report("pingpong", 0, "needs 2 online CPUs");
    if (pipe(to_child) || pipe(to_parent))
        return report("pingpong", 0, "pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0)
        return report("pingpong", 0, "fork: %s", strerror(errno));
    if (pid == 0)
        pong(to_child[0], to_parent[1], 1);
    n = ping(to_parent[0], to_child[1], 0, &why);
    if (n < 0)
        kill(pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid)
        return report("pingpong", 0, "waitpid: %s", strerror(errno));
    if (n < 0)
        return report("pingpong", 0, "%s after the child", why);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return report("pingpong", 0, "child on cpu1 failed (status %#x)",
                      status);
    if (n < 100)
        return report("pingpong", 0, "only %ld round trips", n);
    return report("pingpong", 1, "%ld round trips between cpu0 and cpu1",
                  n);
}

/* A one-second clock_nanosleep, timed with CLOCK_MONOTONIC. */
static int nanosleep_check(long long *took)
{
    struct timespec one = { .tv_sec = 1 };
    long long t0 = now_ns(CLOCK_MONOTONIC);
    int rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &one, NULL);

    *took = now_ns(CLOCK_MONOTONIC) - t0;
    if (rc)
        return report("clock", 0, "clock_nanosleep: %s", strerror(rc));
    if (*took < SLEEP_MIN_NS || *took > SLEEP_MAX_NS)
        return report("clock", 0, "a 1 s sleep took %lld ms",
                      *took / 1000000);
    return 0;
}

/* Reads CLOCK_MONOTONIC for about a second: never back, never a jump. */
static int read_clock(unsigned long *reads, long long *max_step)
{
    long long prev = now_ns(CLOCK_MONOTONIC), end = prev + NSEC_PER_SEC;
    long long t;

    do {
        t = now_ns(CLOCK_MONOTONIC);
        if (t < prev)
            return report("clock", 0, "went back %lld ns after %lu reads",
                          prev - t, *reads);
        if (t - prev > MAX_JUMP_NS)
            return report("clock", 0, "jumped %lld ms after %lu reads",
                          (t - prev) / 1000000, *reads);
        if (t - prev > *max_step)
            *max_step = t - prev;
        prev = t;
        (*reads)++;
    } while (t < end);
    return 0;
}

static int worker_clock(void)
{
    long long max_step = 0, took = 0, min_sleep = 0, max_sleep = 0, drift;
    long long mono0 = now_ns(CLOCK_MONOTONIC), real0 = now_ns(CLOCK_REALTIME);
    unsigned long reads = 0, sleeps = 0;

    while (time_left()) {
        if (read_clock(&reads, &max_step) || nanosleep_check(&took))
            return 1;
        if (!sleeps || took < min_sleep)
            min_sleep = took;
        if (took > max_sleep)
            max_sleep = took;
        sleeps++;
    }
    drift = (now_ns(CLOCK_REALTIME) - real0) -
            (now_ns(CLOCK_MONOTONIC) - mono0);
    if (drift > NSEC_PER_SEC / 10 || drift < -NSEC_PER_SEC / 10)
        return report("clock", 0, "REALTIME drifted %lld ms from MONOTONIC",
                      drift / 1000000);
    return report("clock", 1,
                  "%lu reads, max step %lld us; %lu 1 s sleeps: %lld-%lld ms",
                  reads, max_step / 1000, sleeps, min_sleep / 1000000,
                  max_sleep / 1000000);
}

/* `sleep 1` (busybox, in a child) again and again, each 0.9 s to 1.5 s.
 * Not in the default set: run it alone, so fork/exec under load does not
 * count as sleep time. */
static int worker_sleep(void)
{
    char *const argv[] = { "/bin/sleep", "1", NULL };
    long long t0, took, lo = 0, hi = 0;
    unsigned long n = 0;

    while (time_left()) {
        t0 = now_ns(CLOCK_MONOTONIC);
        if (spawn(argv) != 0)
            return report("sleep", 0, "/bin/sleep 1 failed");
        took = now_ns(CLOCK_MONOTONIC) - t0;
        if (took < SLEEP_MIN_NS || took > SLEEP_MAX_NS)
            return report("sleep", 0, "sleep 1 took %lld ms",
                          took / 1000000);
        lo = n == 0 || took < lo ? took : lo;
        hi = took > hi ? took : hi;
        n++;
    }
    return report("sleep", 1, "%lu x sleep 1: %lld-%lld ms", n,
                  lo / 1000000, hi / 1000000);
}

static const struct {
    const char *name;
    int (*fn)(void);
    int dflt;                   /* run when no worker is named */
} workers[] = {
    { "forkexec", worker_forkexec, 1 },
    { "mem", worker_mem, 1 },
    { "pingpong", worker_pingpong, 1 },
    { "clock", worker_clock, 1 },
    { "sleep", worker_sleep, 0 },
};
#define NR_WORKERS (sizeof(workers) / sizeof(workers[0]))

/* Starts worker i in a child that dies by SIGALRM if it hangs. */
static pid_t start_worker(unsigned int i)
{
    pid_t pid = fork();

    if (pid == 0) {
        alarm(duration_ns / NSEC_PER_SEC + 60);
        _exit(workers[i].fn());
    }
    return pid;
}

/* Waits for the workers started (pid > 0); a worker that died without
 * its own line gets one here.  Returns 1 if any failed. */
static int wait_workers(const pid_t *pids)
{
    unsigned int i;
    int status, failed = 0;

    for (i = 0; i < NR_WORKERS; i++) {
        if (pids[i] == 0)
            continue;           /* not asked for */
        if (pids[i] < 0) {
            failed |= report(workers[i].name, 0, "fork failed");
            continue;
        }
        if (waitpid(pids[i], &status, 0) != pids[i])
            status = -1;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            continue;
        failed = 1;
        if (WIFSIGNALED(status))
            report(workers[i].name, 0, "killed by signal %d%s",
                   WTERMSIG(status),
                   WTERMSIG(status) == SIGALRM ? " (hung)" : "");
    }
    return failed;
}

/* asked(i, argv...): worker i is named, or none is and i is a default. */
static int asked(unsigned int w, int argc, char **argv)
{
    int i;

    for (i = optind; i < argc; i++)
        if (!strcmp(argv[i], workers[w].name))
            return 1;
    return optind == argc && workers[w].dflt;
}

static int usage(void)
{
    fprintf(stderr, "usage: keelstress [-t seconds] [worker...]\n"
                    "workers: forkexec mem pingpong clock (the default),"
                    " sleep\n");
    return 2;
}

int main(int argc, char **argv)
{
    pid_t pids[NR_WORKERS];
    unsigned int i, started = 0;
    int opt;

    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't' || atoi(optarg) <= 0)
            return usage();
        duration_ns = atoi(optarg) * NSEC_PER_SEC;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    deadline = now_ns(CLOCK_MONOTONIC) + duration_ns;
    for (i = 0; i < NR_WORKERS; i++) {
        pids[i] = 0;
        if (!asked(i, argc, argv))
            continue;
        pids[i] = start_worker(i);
        started++;
    }
    if (started == 0)
        return usage();
    return wait_workers(pids);
}
