// SPDX-License-Identifier: GPL-2.0
/*
 * The backing of /dev/bench_mmio: the physical range that mappings show.
 *
 * A prefetchable PCI memory BAR (bar=DDDD:BB:DD.F/N), a physical range
 * outside System RAM (phys=ADDR size=SIZE), or by default BAR 2 of the first
 * ivshmem device (the QEMU guests of the suite).  The range is claimed like a
 * driver claims it, so that a region in use by another driver is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>

#include "bench_mmio.h"

#define BENCH_MMIO_IVSHMEM_DEVICE	0x1110
#define BENCH_MMIO_IVSHMEM_BAR		2

static char *bench_mmio_bar_param;
module_param_named(bar, bench_mmio_bar_param, charp, 0444);
MODULE_PARM_DESC(bar,
		 "backing: a prefetchable memory BAR, DDDD:BB:DD.F/N (default: BAR 2 of the first ivshmem device)");

static unsigned long long bench_mmio_phys_param;
module_param_named(phys, bench_mmio_phys_param, ullong, 0444);
MODULE_PARM_DESC(phys,
		 "backing: physical address of a range outside System RAM (with size=)");

static unsigned long long bench_mmio_size_param;
module_param_named(size, bench_mmio_size_param, ullong, 0444);
MODULE_PARM_DESC(size, "bytes of the phys= range, page aligned");

static int bench_mmio_claim_bar(struct bench_mmio_dev *bm,
				struct pci_dev *pdev, int bar)
{
	struct resource *res = &pdev->resource[bar];
	unsigned long flags = pci_resource_flags(pdev, bar);
	int ret;

	if (!(flags & IORESOURCE_MEM) || !(flags & IORESOURCE_PREFETCH)) {
		pr_err("%s BAR %d is not a prefetchable memory BAR\n",
		       pci_name(pdev), bar);
		return -EINVAL;
	}
	if (!pci_resource_len(pdev, bar) || (flags & IORESOURCE_UNSET)) {
		pr_err("%s BAR %d is not assigned\n", pci_name(pdev), bar);
		return -ENODEV;
	}
	if (!PAGE_ALIGNED(res->start) ||
	    !PAGE_ALIGNED(pci_resource_len(pdev, bar))) {
		pr_err("%s BAR %d %pR is not page aligned\n", pci_name(pdev),
		       bar, res);
		return -EINVAL;
	}

	ret = pci_enable_device_mem(pdev);
	if (ret) {
		pr_err("%s: cannot enable memory decoding: %d\n",
		       pci_name(pdev), ret);
		return ret;
	}
	if (pci_request_region(pdev, bar, KBUILD_MODNAME)) {
		pr_err("%s BAR %d %pR is in use by another driver\n",
		       pci_name(pdev), bar, res);
		pci_disable_device(pdev);
		return -EBUSY;
	}

	bm->kind = BENCH_MMIO_BACKING_PCI_BAR;
	bm->pdev = pdev;
	bm->bar = bar;
	bm->phys_base = res->start;
	bm->size = pci_resource_len(pdev, bar);
	pr_info("backing: %s BAR %d %pR\n", pci_name(pdev), bar, res);
	return 0;
}

static int bench_mmio_setup_bar(struct bench_mmio_dev *bm, const char *spec)
{
	unsigned int domain, bus, slot, fn, bar;
	struct pci_dev *pdev;
	char extra;
	int ret;

	if (sscanf(spec, "%x:%x:%x.%x/%u%c", &domain, &bus, &slot, &fn, &bar,
		   &extra) != 5 || bus > 0xff || slot > 0x1f || fn > 7 ||
	    bar >= PCI_STD_NUM_BARS) {
		pr_err("bar=%s: expected DDDD:BB:DD.F/N, e.g. bar=0000:00:04.0/2\n",
		       spec);
		return -EINVAL;
	}
	pdev = pci_get_domain_bus_and_slot(domain, bus, PCI_DEVFN(slot, fn));
	if (!pdev) {
		pr_err("bar=%s: no such PCI device\n", spec);
		return -ENODEV;
	}
	ret = bench_mmio_claim_bar(bm, pdev, bar);
	if (ret)
		pci_dev_put(pdev);
	return ret;
}

static int bench_mmio_setup_ivshmem(struct bench_mmio_dev *bm)
{
	struct pci_dev *pdev;
	int ret;

	pdev = pci_get_device(PCI_VENDOR_ID_REDHAT_QUMRANET,
			      BENCH_MMIO_IVSHMEM_DEVICE, NULL);
	if (!pdev) {
		pr_err("no backing: name one with bar=DDDD:BB:DD.F/N (a prefetchable memory BAR) or phys=ADDR size=SIZE (a range outside System RAM); by default the first ivshmem device's BAR 2 is used, and there is none\n");
		return -ENODEV;
	}
	ret = bench_mmio_claim_bar(bm, pdev, BENCH_MMIO_IVSHMEM_BAR);
	if (ret)
		pci_dev_put(pdev);
	return ret;
}

static int bench_mmio_setup_phys(struct bench_mmio_dev *bm, u64 phys,
				 u64 size)
{
	struct resource *res;

	if (!size || !PAGE_ALIGNED(phys) || !PAGE_ALIGNED(size) ||
	    phys + size < phys) {
		pr_err("phys=%#llx size=%#llx: not a non-empty, page-aligned range below 2^64\n",
		       phys, size);
		return -EINVAL;
	}
	if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("phys=%#llx size=%#llx: overlaps System RAM\n", phys,
		       size);
		return -EINVAL;
	}
	res = request_mem_region(phys, size, KBUILD_MODNAME);
	if (!res) {
		pr_err("phys=%#llx size=%#llx: busy or outside the physical address space (see /proc/iomem)\n",
		       phys, size);
		return -EBUSY;
	}

	bm->kind = BENCH_MMIO_BACKING_PHYS;
	bm->res = res;
	bm->phys_base = phys;
	bm->size = size;
	pr_info("backing: %pR\n", res);
	return 0;
}

static int bench_mmio_setup(struct bench_mmio_dev *bm)
{
	bool phys = bench_mmio_phys_param || bench_mmio_size_param;

	if (bench_mmio_bar_param && phys) {
		pr_err("name one backing: bar= or phys=/size=, not both\n");
		return -EINVAL;
	}
	if (bench_mmio_bar_param)
		return bench_mmio_setup_bar(bm, bench_mmio_bar_param);
	if (phys)
		return bench_mmio_setup_phys(bm, bench_mmio_phys_param,
					     bench_mmio_size_param);
	return bench_mmio_setup_ivshmem(bm);
}

/**
 * bench_mmio_backing_claim() - claim the backing the module parameters name
 * @bm: the device; its backing fields are filled in.
 *
 * The backing must end below BENCH_MMIO_STATS_OFFSET, where the file offsets
 * of the statistics mapping begin.
 *
 * Return: 0, or -ENODEV, -EINVAL or -EBUSY as bench_mmio_uapi.h documents
 * for loading, with the reason logged.
 */
int bench_mmio_backing_claim(struct bench_mmio_dev *bm)
{
	int ret;

	ret = bench_mmio_setup(bm);
	if (ret)
		return ret;
	if (bm->size > BENCH_MMIO_STATS_OFFSET) {
		pr_err("backing of %#llx bytes: larger than the %#llx bytes that file offsets below the statistics mapping can reach\n",
		       bm->size, BENCH_MMIO_STATS_OFFSET);
		bench_mmio_backing_release(bm);
		return -EINVAL;
	}
	bm->base_pfn = PHYS_PFN(bm->phys_base);
	return 0;
}

/**
 * bench_mmio_backing_release() - release what bench_mmio_backing_claim() took
 * @bm: the device.
 */
void bench_mmio_backing_release(struct bench_mmio_dev *bm)
{
	if (bm->pdev) {
		pci_release_region(bm->pdev, bm->bar);
		pci_disable_device(bm->pdev);
		pci_dev_put(bm->pdev);
		bm->pdev = NULL;
	} else if (bm->res) {
		release_mem_region(bm->phys_base, bm->size);
		bm->res = NULL;
	}
}
