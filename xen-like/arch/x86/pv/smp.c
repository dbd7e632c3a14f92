/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's vCPUs across physical CPUs (one vCPU per CPU, no scheduler
 * yet): starting a vCPU on its CPU, and flushing the TLBs of every CPU
 * that runs a domain.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/traps.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/pv/entry.h>
#include <asm/pv/smp.h>

static struct vcpu *run_request[NR_CPUS];
/* Set by a CPU that needs cpu's TLB flushed; cleared by cpu once done. */
static volatile bool need_flush[NR_CPUS];

static void serve_flush(void)
{
    unsigned int cpu = smp_processor_id();

    if (!need_flush[cpu])
        return;
    write_cr3(read_cr3());
    __atomic_store_n(&need_flush[cpu], false, __ATOMIC_RELEASE);
}

static void flush_ipi(struct cpu_regs *regs)
{
    (void)regs;
    serve_flush();
}

/* From the IPI: this idle CPU starts the vCPU asked for (never returns
 * then: the interrupted idle loop is abandoned). */
static void run_ipi(struct cpu_regs *regs)
{
    struct vcpu *v = __atomic_exchange_n(&run_request[smp_processor_id()],
                                         NULL, __ATOMIC_ACQ_REL);

    (void)regs;
    if (!v)
        return;
    if (current) {
        pr_err("CPU%u already runs a vCPU: d%uv%u not started\n",
               smp_processor_id(), v->domain->domain_id, v->vcpu_id);
        return;
    }
    lapic_eoi();                /* pv_run_vcpu does not come back here */
    pv_run_vcpu(v);
}

void pv_smp_init(void)
{
    set_irq_handler(CALL_FUNCTION_VECTOR, run_ipi);
    set_irq_handler(FLUSH_TLB_VECTOR, flush_ipi);
}

void pv_vcpu_start_remote(struct vcpu *v)
{
    __atomic_store_n(&run_request[v->processor], v, __ATOMIC_RELEASE);
    lapic_send_ipi(cpu_apic_id[v->processor], CALL_FUNCTION_VECTOR);
}

/*
 * Flushes this CPU and every other CPU running one of d's vCPUs, and waits
 * for them.  A CPU waiting here serves flush requests aimed at itself, so
 * two CPUs flushing each other (even with interrupts off) cannot deadlock.
 */
void flush_tlb_domain(struct domain *d)
{
    unsigned int me = smp_processor_id(), i, cpus[MAX_DOMAIN_VCPUS], n = 0;

    write_cr3(read_cr3());
    for (i = 0; i < MAX_DOMAIN_VCPUS; i++) {
        struct vcpu *v = d->vcpu[i];

        if (!v || !v->up || v->processor == me)
            continue;
        __atomic_store_n(&need_flush[v->processor], true, __ATOMIC_RELEASE);
        lapic_send_ipi(cpu_apic_id[v->processor], FLUSH_TLB_VECTOR);
        cpus[n++] = v->processor;
    }
    for (i = 0; i < n; i++)
        while (__atomic_load_n(&need_flush[cpus[i]], __ATOMIC_ACQUIRE)) {
            serve_flush();
            cpu_relax();
        }
}
