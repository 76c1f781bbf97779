#ifndef PERCEPT_CTURBOJPEG_SHIM_H
#define PERCEPT_CTURBOJPEG_SHIM_H
// libjpeg-turbo's TurboJPEG API (Debian: libturbojpeg0-dev), which decodes JPEG files.
#include <turbojpeg.h>
#endif
