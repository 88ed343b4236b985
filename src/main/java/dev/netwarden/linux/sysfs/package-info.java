/** Facts the kernel exposes in /sys that netwarden reads: network interface names and indexes. */
package dev.netwarden.linux.sysfs;
