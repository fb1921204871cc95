/*
 * WebP through libwebp. Pillow's WebPImagePlugin decodes with WebPAnimDecoder in MODE_RGBA
 * (mode "RGBA" when the file has alpha, else "RGBX" shown as "RGB"); the first frame of that decoder
 * is a plain WebPDecode into a cleared canvas, which is what this file does for still images. For
 * animations the first frame comes from WebPAnimDecoder itself.
 */
#include "internal.h"
#include <stdlib.h>
#include <webp/demux.h>

static int cic_webp_status(VP8StatusCode code, char *message, size_t capacity) {
    switch (code) {
    case VP8_STATUS_OK: return CIC_OK;
    case VP8_STATUS_NOT_ENOUGH_DATA: cic_set_message(message, capacity, "libwebp: not enough data"); return CIC_ERROR_TRUNCATED;
    case VP8_STATUS_OUT_OF_MEMORY: cic_set_message(message, capacity, "libwebp: out of memory"); return CIC_ERROR_OUT_OF_MEMORY;
    case VP8_STATUS_UNSUPPORTED_FEATURE: cic_set_message(message, capacity, "libwebp: unsupported feature"); return CIC_ERROR_UNSUPPORTED;
    case VP8_STATUS_BITSTREAM_ERROR: cic_set_message(message, capacity, "libwebp: bitstream error"); return CIC_ERROR_CORRUPT;
    default: cic_set_message(message, capacity, "libwebp: invalid data"); return CIC_ERROR_CORRUPT;
    }
}

static void cic_webp_take_exif(const uint8_t *data, size_t size, cic_image *info) {
    WebPData bytes = {data, size};
    WebPDemuxer *demux = WebPDemux(&bytes);
    if (demux == NULL) return;
    WebPChunkIterator chunk;
    if (WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) {
        cic_store_exif(info, chunk.chunk.bytes, chunk.chunk.size);
        WebPDemuxReleaseChunkIterator(&chunk);
    }
    WebPDemuxDelete(demux);
}

static int cic_webp_first_frame(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message,
                                size_t capacity) {
    WebPData bytes = {decoder->data, decoder->size};
    WebPAnimDecoderOptions options;
    WebPAnimDecoderOptionsInit(&options);
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder *animation = WebPAnimDecoderNew(&bytes, &options);
    if (animation == NULL) {
        cic_set_message(message, capacity, "libwebp: the animation could not be opened");
        return CIC_ERROR_CORRUPT;
    }
    uint8_t *frame = NULL;
    int timestamp = 0;
    int status = CIC_OK;
    if (!WebPAnimDecoderGetNext(animation, &frame, &timestamp) || frame == NULL) {
        cic_set_message(message, capacity, "libwebp: the first frame could not be decoded");
        status = CIC_ERROR_CORRUPT;
    } else {
        memcpy(pixels, frame, info->pixel_bytes);
    }
    WebPAnimDecoderDelete(animation);
    return status;
}

int cic_webp_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity) {
    WebPDecoderConfig *config = &decoder->webp;
    if (!WebPInitDecoderConfig(config)) {
        cic_set_message(message, capacity, "libwebp: version mismatch");
        return CIC_ERROR_UNSUPPORTED;
    }
    VP8StatusCode code = WebPGetFeatures(decoder->data, decoder->size, &config->input);
    if (code != VP8_STATUS_OK) return cic_webp_status(code, message, capacity);
    int size_status = cic_check_size((uint64_t)config->input.width, (uint64_t)config->input.height, max_pixels,
                                     message, capacity);
    if (size_status != CIC_OK) return size_status;
    info->width = config->input.width;
    info->height = config->input.height;
    int channels = config->input.has_alpha || config->input.has_animation ? 4 : 3;
    info->layout = channels == 4 ? CIC_LAYOUT_RGBA8 : CIC_LAYOUT_RGB8;
    info->pixel_bytes = (size_t)info->width * info->height * channels;
    if (decoder->want_exif) cic_webp_take_exif(decoder->data, decoder->size, info);
    return CIC_OK;
}

int cic_webp_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity) {
    WebPDecoderConfig *config = &decoder->webp;
    if (config->input.has_animation) return cic_webp_first_frame(decoder, info, pixels, message, capacity);
    int channels = info->layout == CIC_LAYOUT_RGBA8 ? 4 : 3;
    config->output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
    config->output.is_external_memory = 1;
    config->output.u.RGBA.rgba = pixels;
    config->output.u.RGBA.stride = info->width * channels;
    config->output.u.RGBA.size = info->pixel_bytes;
    VP8StatusCode code = WebPDecode(decoder->data, decoder->size, config);
    WebPFreeDecBuffer(&config->output);
    return cic_webp_status(code, message, capacity);
}
