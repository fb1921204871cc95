/* Shared between the decoders of CImageCodecs; not part of the public header. */
#ifndef CIC_INTERNAL_H
#define CIC_INTERNAL_H
#include "CImageCodecs.h"
#include <stdio.h>
#include <string.h>

static inline void cic_set_message(char *message, size_t capacity, const char *text) {
    if (message == NULL || capacity == 0) return;
    snprintf(message, capacity, "%s", text);
}

/* Checks the size against the caller's limit; returns CIC_OK or an error code with a message. */
static inline int cic_check_size(uint64_t width, uint64_t height, uint64_t max_pixels, char *message,
                                 size_t capacity) {
    if (width == 0 || height == 0) {
        if (message && capacity) snprintf(message, capacity, "%llu x %llu pixels", (unsigned long long)width, (unsigned long long)height);
        return CIC_ERROR_ZERO_SIZE;
    }
    if (width * height > max_pixels) {
        if (message && capacity)
            snprintf(message, capacity, "%llu x %llu = %llu pixels, limit %llu", (unsigned long long)width,
                     (unsigned long long)height, (unsigned long long)(width * height), (unsigned long long)max_pixels);
        return CIC_ERROR_TOO_MANY_PIXELS;
    }
    return CIC_OK;
}

/* Copies a TIFF-structured EXIF block (a leading "Exif\0\0" is dropped) into image->exif. */
void cic_store_exif(cic_image *image, const uint8_t *data, size_t size);

int cic_decode_jpeg(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
                    char *message, size_t capacity);
int cic_decode_png(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
                   char *message, size_t capacity);
int cic_decode_webp(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
                    char *message, size_t capacity);
#endif
