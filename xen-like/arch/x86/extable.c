/* SPDX-License-Identifier: GPL-2.0-only */
/* The exception table: faulting instructions that have a way out. */
#include <hv/traps.h>

struct extable_entry {
    unsigned long insn, fixup;
};

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

bool extable_fixup(struct cpu_regs *regs)
{
    const struct extable_entry *e;

    for (e = __start_ex_table; e < __stop_ex_table; e++) {
        if (e->insn == regs->rip) {
            regs->rip = e->fixup;
            return true;
        }
    }
    return false;
}
