/* cic_open / cic_read / cic_close: picks the decoder from the file signature, as Pillow's Image.open does. */
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
    free(image->exif);
    image->exif = NULL;
    image->exif_bytes = 0;
}

int cic_open(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *info,
             cic_decoder **result, char *message, size_t capacity) {
    memset(info, 0, sizeof(*info));
    *result = NULL;
    if (message && capacity) message[0] = 0;
    if (data == NULL || size == 0) {
        cic_set_message(message, capacity, "0 bytes");
        return CIC_ERROR_EMPTY;
    }
    int format;
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        format = CIC_FORMAT_JPEG;
    } else if (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
        format = CIC_FORMAT_PNG;
    } else if (size >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        format = CIC_FORMAT_WEBP;
    } else if (size >= 6 && (memcmp(data, "GIF87a", 6) == 0 || memcmp(data, "GIF89a", 6) == 0)) {
        format = CIC_FORMAT_GIF;
    } else if ((size >= 2 && data[0] == 0xFF && data[1] == 0xD8) || (size < 8 && memcmp(data, "\x89PNG\r\n\x1a\n", size) == 0)) {
        cic_set_message(message, capacity, "the file ends inside its signature");
        return CIC_ERROR_TRUNCATED;
    } else {
        cic_set_message(message, capacity, "the first bytes are no JPEG, PNG, WebP or GIF signature");
        return CIC_ERROR_UNKNOWN_FORMAT;
    }
    cic_decoder *decoder = calloc(1, sizeof(cic_decoder));
    if (decoder == NULL) {
        cic_set_message(message, capacity, "no memory for a decoder");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    decoder->format = format;
    decoder->data = data;
    decoder->size = size;
    decoder->want_exif = want_exif;
    info->format = format;
    int status;
    switch (format) {
    case CIC_FORMAT_JPEG: status = cic_jpeg_open(decoder, max_pixels, info, message, capacity); break;
    case CIC_FORMAT_PNG: status = cic_png_open(decoder, max_pixels, info, message, capacity); break;
    case CIC_FORMAT_GIF: status = cic_gif_open(decoder, max_pixels, info, message, capacity); break;
    default: status = cic_webp_open(decoder, max_pixels, info, message, capacity); break;
    }
    if (status != CIC_OK) {
        cic_close(decoder);
        cic_image_free(info);
        return status;
    }
    *result = decoder;
    return CIC_OK;
}

int cic_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, size_t capacity, char *message,
             size_t message_capacity) {
    if (message && message_capacity) message[0] = 0;
    if (decoder == NULL || pixels == NULL || capacity < info->pixel_bytes) {
        cic_set_message(message, message_capacity, "cic_read: no decoder or a buffer smaller than pixel_bytes");
        return CIC_ERROR_CORRUPT;
    }
    switch (decoder->format) {
    case CIC_FORMAT_JPEG: return cic_jpeg_read(decoder, info, pixels, message, message_capacity);
    case CIC_FORMAT_PNG: return cic_png_read(decoder, info, pixels, message, message_capacity);
    case CIC_FORMAT_GIF: return cic_gif_read(decoder, info, pixels, message, message_capacity);
    default: return cic_webp_read(decoder, info, pixels, message, message_capacity);
    }
}

void cic_close(cic_decoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->format == CIC_FORMAT_JPEG) cic_jpeg_close(decoder);
    if (decoder->format == CIC_FORMAT_PNG) cic_png_close(decoder);
    free(decoder);
}
