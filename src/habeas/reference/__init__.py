"""Reference data: the public record of exonerations and of the death penalty, analytics."""
