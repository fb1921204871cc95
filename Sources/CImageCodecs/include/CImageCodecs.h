#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
/* Image decoding through the system's libjpeg-turbo, libpng and libwebp. */
int cimagecodecs_version(void);
#endif
