/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * crash: not a conformance kernel (see KEEL_ONLY).  It crashes itself as
 * its command line says, for tests/system/crash.sh: "pf" an unhandled page
 * fault (its trap table removed first), "iret" an iret hypercall whose
 * frame cannot be read.  Either way only this domain may die.
 */
#include <guest.h>

#define UNMAPPED_VA 0x1000UL

void test_main(void)
{
    const char *cmd = (const char *)start_info->cmd_line;

    printk("crash: crashing by '%s'\n", cmd);
    if (cmd[0] == 'i') {
        __asm__ __volatile__("mov %0, %%rsp\n\t"
                             "mov %1, %%eax\n\t"
                             "syscall"
                             : : "r"(UNMAPPED_VA), "i"(__HYPERVISOR_iret)
                             : "memory");
    } else {
        hypercall_set_trap_table(NULL);
        *(volatile unsigned long *)UNMAPPED_VA = 1;
    }
    report_fail("still running after crashing by '%s'", cmd);
}
