# SPDX-License-Identifier: GPL-2.0-only
# placeholder until the image rules land
.PHONY: iso
iso:
