/* SPDX-License-Identifier: GPL-2.0-only */
/* Ending the machine: halt, power-off, reboot, and test-build exits. */
#ifndef HV_SHUTDOWN_H
#define HV_SHUTDOWN_H

#include <hv/types.h>

extern bool opt_noreboot;

/* Set when a CPU panics; others halt on the NMI that follows. */
extern volatile bool cpus_stopping;

void __noreturn machine_halt(void);
void __noreturn machine_power_off(void);
void __noreturn machine_restart(void);
/* Stops every other online CPU (NMI); they never come back. */
void stop_other_cpus(void);

/* Test boots (`test=`): exit QEMU through isa-debug-exit. */
bool test_mode(void);
const char *test_name(void);
void __noreturn test_exit(bool pass);

#endif
