/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel inside a bzImage (Linux boot protocol >= 2.08): the payload
 * is an ELF, raw or compressed (XZ, gzip); a compressed one is unpacked
 * into heap pages that go back to the heap once dom0 is built.
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/decompress.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/time.h>
#include <asm/pv/dom0.h>

#define SETUP_SECTS     0x1f1
#define HDR_MAGIC       0x202
#define HDR_VERSION     0x206
#define PAYLOAD_OFFSET  0x248
#define PAYLOAD_LENGTH  0x24c
#define MIN_VERSION     0x0208

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Gives [pg + from, pg + to) back to the heap in naturally aligned
 * blocks (pg heads a block at least that large, so offsets align). */
static void free_span(struct page_info *pg, unsigned long from,
                      unsigned long to)
{
    while (from < to) {
        unsigned int k = 0;

        while (!(from & (1UL << k)) && from + (2UL << k) <= to)
            k++;
        free_pages(pg + from, k);
        from += 1UL << k;
    }
}

static int unpack(const uint8_t *payload, size_t len, struct kernel_image *k)
{
    size_t out_len = get32(payload + len - 4), got = 0;
    unsigned long pages = (out_len + PAGE_SIZE - 1) >> PAGE_SHIFT;
    s_time_t t0 = NOW();
    int rc;

    for (k->order = 0; (1UL << k->order) < pages; k->order++)
        ;
    if (!out_len || k->order > MAX_ORDER || !(k->pages = alloc_pages(k->order))) {
        pr_err("dom0 kernel: no room to unpack %zu bytes\n", out_len);
        return -XEN_ENOMEM;
    }
    free_span(k->pages, pages, 1UL << k->order);    /* keep what is used */
    k->used = pages;
    if (payload[0] == 0xfd && !memcmp(payload + 1, "7zXZ", 4))
        rc = xz_decompress(payload, len, page_to_virt(k->pages), out_len, &got);
    else if (payload[0] == 0x1f && payload[1] == 0x8b)
        rc = gzip_decompress(payload, len, page_to_virt(k->pages), out_len,
                             &got);
    else
        rc = -XEN_EOPNOTSUPP;
    if (rc) {
        pr_err("dom0 kernel: cannot unpack the bzImage payload (%d)\n", rc);
        kernel_image_free(k);
        return rc;
    }
    k->elf = page_to_virt(k->pages);
    k->size = got;
    pr_info("dom0: bzImage payload %zu KiB -> %zu KiB in %lu ms\n", len >> 10,
            got >> 10, (unsigned long)((NOW() - t0) / MILLISECS(1)));
    return 0;
}

int kernel_image_open(const void *img, size_t size, struct kernel_image *k)
{
    const uint8_t *p = img;
    unsigned int sects;
    size_t off, len;

    memset(k, 0, sizeof(*k));
    k->elf = img;
    k->size = size;
    if (size < PAYLOAD_LENGTH + 4 || memcmp(p + HDR_MAGIC, "HdrS", 4))
        return 0;                       /* not a bzImage: maybe an ELF */
    if ((p[HDR_VERSION] | (p[HDR_VERSION + 1] << 8)) < MIN_VERSION) {
        pr_err("dom0 kernel: bzImage boot protocol too old\n");
        return -XEN_EINVAL;
    }
    sects = p[SETUP_SECTS] ? p[SETUP_SECTS] : 4;
    off = (sects + 1) * 512UL + get32(p + PAYLOAD_OFFSET);
    len = get32(p + PAYLOAD_LENGTH);
    if (off > size || len < 8 || len > size - off) {
        pr_err("dom0 kernel: bzImage payload outside the image\n");
        return -XEN_EINVAL;
    }
    if (!memcmp(p + off, "\177ELF", 4)) {
        k->elf = p + off;
        k->size = len;
        return 0;
    }
    return unpack(p + off, len, k);
}

void kernel_image_free(struct kernel_image *k)
{
    if (k->pages)
        free_span(k->pages, 0, k->used);
    k->pages = NULL;
}
