/**
 * The shortest password a sign-up accepts. Length is what makes a password
 * hard to guess (NIST SP 800-63B); twelve characters of anything, a
 * passphrase welcome, and no composition rules.
 */
export const MIN_PASSWORD_LENGTH = 12;
