/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for the per-CPU stack block of hv/smp.h: runs a test
 * program on a thread whose stack lies in a STACK_SIZE-aligned block with a
 * struct cpu_info at its top, so that `current` and smp_processor_id()
 * work unchanged in the hypervisor sources under test.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <hv/smp.h>

unsigned int cpu_apic_id[NR_CPUS];

/* The one host "CPU"; tests set ->current_vcpu and ->cpu_id. */
struct cpu_info *stub_cpu_info;

struct stub_cpu_run {
    int (*fn)(void);
    int rc;
};

static void *stub_cpu_thread(void *arg)
{
    struct stub_cpu_run *run = arg;

    run->rc = run->fn();
    return NULL;
}

/*
 * Runs fn() on CPU 0's stack block and returns what it returns.  glibc puts
 * the thread's descriptor and TLS at the top of a caller-supplied stack, so
 * the thread gets all but the block's last page, which holds the cpu_info;
 * the page below the block is a guard against overflow.
 */
int stub_cpu_run(int (*fn)(void))
{
    size_t map_size = 3 * STACK_SIZE;
    char *map, *block;
    struct stub_cpu_run run = { fn, -1 };
    pthread_attr_t attr;
    pthread_t th;

    map = mmap(NULL, map_size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        abort();
    block = (char *)(((unsigned long)map + 2 * STACK_SIZE - 1) &
                     ~(STACK_SIZE - 1));
    if (mprotect(block - PAGE_SIZE, PAGE_SIZE, PROT_NONE))
        abort();
    stub_cpu_info = (struct cpu_info *)(block + STACK_SIZE) - 1;
    stub_cpu_info->cpu_id = 0;
    stub_cpu_info->apic_id = cpu_apic_id[0];
    stub_cpu_info->current_vcpu = NULL;

    if (pthread_attr_init(&attr) ||
        pthread_attr_setstack(&attr, block, STACK_SIZE - PAGE_SIZE) ||
        pthread_create(&th, &attr, stub_cpu_thread, &run) ||
        pthread_join(th, NULL))
        abort();
    pthread_attr_destroy(&attr);
    stub_cpu_info = NULL;
    munmap(map, map_size);
    return run.rc;
}
