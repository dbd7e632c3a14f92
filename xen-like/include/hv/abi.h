/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only includer of Xen's public headers (Debian libxen-dev, staged as
 * <public/...>): the ABI Keel implements, never copied or edited.
 */
#ifndef HV_ABI_H
#define HV_ABI_H

#include <stdint.h>
#include <stddef.h>
#include <public/xen.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>
#include <public/sched.h>
#include <public/callback.h>
#include <public/vcpu.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/elfnote.h>
#include <public/domctl.h>
#include <public/physdev.h>
#include <public/platform.h>
#include <public/arch-x86/xen-mca.h>

_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info layout");
_Static_assert(sizeof(struct start_info) <= 4096, "start_info layout");

#endif
