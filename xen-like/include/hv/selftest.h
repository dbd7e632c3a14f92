/* SPDX-License-Identifier: GPL-2.0-only */
/* In-hypervisor test boots, chosen with `test=` on the command line. */
#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

/* Every CPU, before it idles: arms what the test needs on it. */
void selftest_cpu_start(void);
/* The BSP, once boot is done: runs the test (and exits QEMU) if any. */
void selftest_run(void);

#endif
