package dev.symbiosis.cli.reliability;

import dev.symbiosis.cli.OfflineDefaults;
import dev.symbiosis.cli.SymbiosisCli;
import java.net.SocketPermission;
import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code symbiosis} CLI under a SecurityManager that allows everything and records every socket permission
 * asked for (DNS resolution, connect, listen, accept), printed as one {@value #MARKER} line to standard error at
 * the end. The JDK's own font-cache lookup of this host's name is counted apart (see
 * {@link #fromFontConfiguration()}). Needs {@code -Djava.security.manager=allow} on Java 18 and later; where a SecurityManager cannot be
 * installed at all (Java 24 and later) it prints {@value #MARKER} {@code unavailable}.
 */
public final class NetworkRecordingMain {

    /** The start of the summary line. */
    public static final String MARKER = "NETWORK-ATTEMPTS";

    private NetworkRecordingMain() {}

    /**
     * Whether the JDK's fontconfig code asks: it names its font cache file after the host
     * ({@code sun.font.FcFontConfiguration.getFcInfoFile} calls {@code InetAddress.getLocalHost()}) when the report's
     * charts are drawn. That resolves this machine's own name and opens no connection.
     */
    private static boolean fromFontConfiguration() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
                f.getClassName().equals("sun.font.FcFontConfiguration") && f.getMethodName().equals("getFcInfoFile")));
    }

    /** The first frames outside the JDK that led to the permission check. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("sun.")
                        && !f.getClassName().startsWith("jdk.")
                        && !f.getClassName().startsWith(NetworkRecordingMain.class.getName()))
                .limit(4).map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                .toList().toString());
    }

    @SuppressWarnings("removal")
    public static void main(String[] args) {
        List<String> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger fontCacheLookups = new AtomicInteger();
        boolean installed;
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override
                public void checkPermission(Permission p) {
                    if (p instanceof SocketPermission) {
                        if (p.getActions().equals("resolve") && fromFontConfiguration()) {
                            fontCacheLookups.incrementAndGet();
                        } else {
                            attempts.add(p.getName() + " " + p.getActions() + " from " + caller());
                        }
                    }
                }

                @Override
                public void checkPermission(Permission p, Object context) {
                    checkPermission(p);
                }
            });
            installed = true;
        } catch (UnsupportedOperationException e) {
            installed = false;
        }
        OfflineDefaults.apply();
        int exit = SymbiosisCli.commandLine().execute(args);
        System.err.println(installed ? MARKER + " " + attempts.size() + " " + attempts + " (JDK font-cache lookups of"
                + " this host's own name: " + fontCacheLookups + ")" : MARKER + " unavailable");
        System.exit(exit);
    }
}
