/* SPDX-License-Identifier: GPL-2.0-only */
/* Choosing dom0's kernel, memory and command line, then running it. */
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <asm/pv/dom0.h>
#include <asm/pv/entry.h>
#include <asm/pv/smp.h>

#define MIN_DOM0_PAGES      ((16UL << 20) >> PAGE_SHIFT)
#define KEEL_RESERVE_PAGES  ((128UL << 20) >> PAGE_SHIFT)

static unsigned long long opt_dom0_mem;
SIZE_PARAM("dom0_mem", opt_dom0_mem);
static unsigned int opt_dom0_max_vcpus;
UINT_PARAM("dom0_max_vcpus", opt_dom0_max_vcpus);

/* dom0's vCPUs: dom0_max_vcpus= or one per CPU, one CPU each (no
 * scheduler yet: vCPU i runs on CPU i). */
static unsigned int dom0_vcpus(void)
{
    unsigned int n = opt_dom0_max_vcpus ? opt_dom0_max_vcpus : nr_cpus_online;

    if (n > nr_cpus_online || n > MAX_DOMAIN_VCPUS) {
        pr_warn("dom0: %u vCPUs asked for, %u CPUs: using %u\n", n,
                nr_cpus_online, MIN(nr_cpus_online, MAX_DOMAIN_VCPUS));
        n = MIN(nr_cpus_online, MAX_DOMAIN_VCPUS);
    }
    return n;
}

/* Creates dom0 and its vCPUs; vCPU 0 is the one the builder sets up. */
static struct vcpu *create_dom0(void)
{
    struct domain *d = domain_create(0, true);
    unsigned int i, n = dom0_vcpus();

    for (i = 0; d && i < n; i++)
        if (!vcpu_create(d, i, i))
            return NULL;
    if (!d)
        return NULL;
    pr_info("dom0: %u vCPU%s\n", n, n == 1 ? "" : "s");
    return d->vcpu[0];
}

/* dom0_mem=, or all free memory less a reserve for Keel itself. */
static unsigned long dom0_pages(void)
{
    unsigned long free = page_alloc_free_frames();
    unsigned long reserve = MAX(free / 16, KEEL_RESERVE_PAGES);
    unsigned long want = opt_dom0_mem ? opt_dom0_mem >> PAGE_SHIFT
                                      : (free > reserve ? free - reserve : 0);

    return MAX(MIN(want, free > reserve / 2 ? free - reserve / 2 : 0),
               MIN_DOM0_PAGES);
}

/* Multiboot 1 module strings begin with the file name; GRUB's mb2 not. */
static const char *module_args(const struct boot_info *bi,
                               const struct boot_module *m)
{
    const char *s = m->cmdline;

    if (bi->proto != 1)
        return s;
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

/* Builds dom0 from the kernel image k (and module 1 as its initrd). */
static int build(struct domain *d, struct vcpu *v, const struct boot_info *bi,
                 const struct kernel_image *k)
{
    const struct boot_module *m = &bi->mods[0];
    struct dom0_images img = { .kernel = k->elf, .kernel_len = k->size };

    if (bi->nr_mods > 1) {
        img.initrd = maddr_to_virt(bi->mods[1].start);
        img.initrd_len = bi->mods[1].end - bi->mods[1].start;
    }
    return dom0_construct(d, v, &img, dom0_pages(), module_args(bi, m));
}

/* Returns only if there is no dom0 to run. */
void dom0_start(const struct boot_info *bi)
{
    const struct boot_module *m = &bi->mods[0];
    struct kernel_image k;
    struct domain *d;
    struct vcpu *v;
    int rc;

    if (!bi->nr_mods) {
        pr_info("dom0: no kernel module given\n");
        return;
    }
    if ((rc = kernel_image_open(maddr_to_virt(m->start), m->end - m->start,
                                &k)))
        goto fail;
    pv_smp_init();
    if (!(v = create_dom0()))
        panic("dom0: out of memory creating the domain");
    d = v->domain;
    rc = build(d, v, bi, &k);
    kernel_image_free(&k);
    if (rc)
        goto fail;
    pr_info("Starting dom0\n");
    v->initialised = v->up = true;
    pv_run_vcpu(v);
fail:
    pr_err("dom0: cannot build domain 0 (error %d); Keel stays up\n", rc);
    if (test_mode())
        test_exit(false);
}
