/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * console: CONSOLEIO_write of ordinary, empty, huge and bad buffers,
 * CONSOLEIO_read with nothing typed, and unknown commands.
 */
#include <guest.h>

void test_main(void)
{
    static const char msg[] = "console: plain write\n";
    static const char tail[] = "console: end of page\n";
    char *page;
    long rc;

    rc = hypercall_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
    CHECK_RC("write", rc, 0);
    CHECK_RC("write(0 bytes)", hypercall_console_io(CONSOLEIO_write, 0, msg),
             0);
    CHECK_RC("write(0 bytes, bad ptr)",
             hypercall_console_io(CONSOLEIO_write, 0, BAD_PTR_UNMAPPED), 0);
    CHECK_RC("write(bad ptr)",
             hypercall_console_io(CONSOLEIO_write, 8, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC("write(hole ptr)",
             hypercall_console_io(CONSOLEIO_write, 8, BAD_PTR_HOLE),
             -XEN_EFAULT);
    CHECK_RC("write(non-canonical ptr)",
             hypercall_console_io(CONSOLEIO_write, 8, BAD_PTR_NONCANON),
             -XEN_EFAULT);

    /* A huge count that runs off the end of a mapped page: -EFAULT. */
    page = mm_page_before_hole();
    memcpy(page + PAGE_SIZE - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
    rc = hypercall_console_io(CONSOLEIO_write, 0x7fffffff,
                              page + PAGE_SIZE - (sizeof(tail) - 1));
    CHECK_RC("write(huge count)", rc, -XEN_EFAULT);
    rc = hypercall_console_io(CONSOLEIO_write, ~0u,
                              page + PAGE_SIZE - (sizeof(tail) - 1));
    CHECK_RC("write(count ~0)", rc, -XEN_EFAULT);

    CHECK_RC("read(0 bytes)", hypercall_console_io(CONSOLEIO_read, 0, page),
             0);
    CHECK_RC("read(nothing typed)",
             hypercall_console_io(CONSOLEIO_read, 16, page), 0);

    CHECK_RC("unknown cmd 2", hypercall_console_io(2, 1, msg), -XEN_ENOSYS);
    CHECK_RC("unknown cmd ~0", hypercall_console_io(~0u, 1, msg),
             -XEN_ENOSYS);
}
