// SPDX-License-Identifier: GPL-2.0
/*
 * udev_stub.c - the five libudev calls of a static libhwloc.a, for the static
 * arm64 guest binary (`make bench ARCH=arm64`): Debian ships no libudev.a.
 * udev_new() returning NULL is what hwloc sees on a system without udev (the
 * guest's busybox initramfs has none): it names devices from sysfs instead.
 */
#include <stddef.h>

struct udev;
struct udev_device;

struct udev *udev_new(void);
struct udev *udev_unref(struct udev *u);
struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *u, const char *subsystem,
							   const char *sysname);
const char *udev_device_get_property_value(struct udev_device *d, const char *key);
struct udev_device *udev_device_unref(struct udev_device *d);

struct udev *udev_new(void) { return NULL; }
struct udev *udev_unref(struct udev *u) { (void)u; return NULL; }
struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *u, const char *subsystem,
							   const char *sysname)
{
	(void)u; (void)subsystem; (void)sysname;
	return NULL;
}
const char *udev_device_get_property_value(struct udev_device *d, const char *key)
{
	(void)d; (void)key;
	return NULL;
}
struct udev_device *udev_device_unref(struct udev_device *d) { (void)d; return NULL; }
