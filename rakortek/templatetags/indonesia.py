"""Template filters for Indonesian official formats: {{ value|tanggal }}, |rupiah ..."""

from django import template

from rakortek.core import formatting

register = template.Library()

register.filter("tanggal", formatting.tanggal)
register.filter("hari", formatting.hari)
register.filter("hari_tanggal", formatting.hari_tanggal)
register.filter("jam", formatting.jam)
register.filter("rupiah", formatting.rupiah)
register.filter("angka", formatting.angka)
register.filter("nip", formatting.nip)
