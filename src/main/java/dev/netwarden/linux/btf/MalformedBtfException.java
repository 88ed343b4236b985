package dev.netwarden.linux.btf;

/** BTF bytes that do not follow the format: a bad header, a section out of bounds, a type cut short. */
public final class MalformedBtfException extends IllegalArgumentException {
    public MalformedBtfException(String message) {
        super(message);
    }
}
