import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step: rewrites the class files of a jar that are older than Java 6 (major version < 50) as
 * Java 8 class files (major 52) with computed StackMapTables, in place.
 *
 * <p>Why: picocli 4.x ships Java 5 class files. The JDK's CDS/AOT cache does not archive such
 * "old" classes, so every run of netwarden loaded and verified ~250 picocli classes from the jar
 * (with the slow type-inferencing verifier), about 35 ms of each short command. Raised to major 52,
 * the same bytecode gets into the AOT cache like any other class. Nothing but the version and the
 * stack maps changes: every instruction is re-emitted as read, and the verifier checks the result.
 *
 * <p>Usage (run by Maven, see pom.xml): {@code java build/RaiseClassFileVersion.java JAR...}.
 * Idempotent: a jar with no old class files is left untouched.
 */
public final class RaiseClassFileVersion {
    private static final int FIRST_SPLIT_VERIFIER_MAJOR = 50;
    private static final int TARGET_MAJOR = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            raise(Path.of(arg));
        }
    }

    private static void raise(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int raised = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             InputStream raw = Files.newInputStream(jar);
             ZipInputStream in = new ZipInputStream(raw);
             OutputStream rawOut = Files.newOutputStream(tmp);
             ZipOutputStream out = new ZipOutputStream(rawOut)) {
            // Stack maps need the supertypes of the jar's own classes: the jar first, then the JDK's.
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".class") && isOld(bytes)) {
                    bytes = rewrite(classFile, classFile.parse(bytes));
                    raised++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (raised == 0) {
            Files.delete(tmp);
            return;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("RaiseClassFileVersion: " + jar.getFileName() + ": " + raised
                + " class files raised to major " + TARGET_MAJOR);
    }

    private static boolean isOld(byte[] classBytes) {
        int major = ((classBytes[6] & 0xff) << 8) | (classBytes[7] & 0xff);
        return major < FIRST_SPLIT_VERIFIER_MAJOR;
    }

    private static byte[] rewrite(ClassFile classFile, ClassModel model) {
        return classFile.build(model.thisClass().asSymbol(), builder -> {
            builder.withVersion(TARGET_MAJOR, 0);
            for (ClassElement element : model) {
                if (element instanceof MethodModel method) {
                    // Transforming the code (even with ACCEPT_ALL) makes the API re-emit it, and so
                    // compute its stack maps; passing the method through would copy it unchanged.
                    builder.transformMethod(method, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
                } else if (!(element instanceof ClassFileVersion)) {
                    builder.with(element);
                }
            }
        });
    }
}
