/* cic_decode: picks the decoder from the file signature, as Pillow's Image.open does. */
#include "internal.h"
#include <stdlib.h>

void cic_store_exif(cic_image *image, const uint8_t *data, size_t size) {
    if (data == NULL) return;
    if (size >= 6 && memcmp(data, "Exif\0\0", 6) == 0) {
        data += 6;
        size -= 6;
    }
    if (size == 0) return;
    free(image->exif);
    image->exif = malloc(size);
    if (image->exif == NULL) {
        image->exif_bytes = 0;
        return;
    }
    memcpy(image->exif, data, size);
    image->exif_bytes = size;
}

void cic_image_free(cic_image *image) {
    if (image == NULL) return;
    free(image->pixels);
    free(image->exif);
    image->pixels = NULL;
    image->exif = NULL;
    image->pixel_bytes = 0;
    image->exif_bytes = 0;
}

int cic_decode(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
               char *message, size_t capacity) {
    memset(out, 0, sizeof(*out));
    if (message && capacity) message[0] = 0;
    if (data == NULL || size == 0) {
        cic_set_message(message, capacity, "0 bytes");
        return CIC_ERROR_EMPTY;
    }
    int status;
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        status = cic_decode_jpeg(data, size, max_pixels, want_exif, out, message, capacity);
    } else if (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
        status = cic_decode_png(data, size, max_pixels, want_exif, out, message, capacity);
    } else if (size >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        status = cic_decode_webp(data, size, max_pixels, want_exif, out, message, capacity);
    } else if (size >= 6 && (memcmp(data, "GIF87a", 6) == 0 || memcmp(data, "GIF89a", 6) == 0)) {
        out->format = CIC_FORMAT_GIF;
        cic_set_message(message, capacity, "GIF");
        return CIC_ERROR_UNSUPPORTED;
    } else if ((size >= 2 && data[0] == 0xFF && data[1] == 0xD8) || (size < 8 && memcmp(data, "\x89PNG\r\n\x1a\n", size) == 0)) {
        cic_set_message(message, capacity, "the file ends inside its signature");
        return CIC_ERROR_TRUNCATED;
    } else {
        cic_set_message(message, capacity, "the first bytes are no JPEG, PNG or WebP signature");
        return CIC_ERROR_UNKNOWN_FORMAT;
    }
    if (status != CIC_OK) cic_image_free(out);
    return status;
}
