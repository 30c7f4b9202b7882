# Search speed (issue 6: p95 <= 100 ms over 100 000 pages).

from django.db import migrations, models

from habeas.documents.dbops import PhrasePairIndex


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0005_document_privileged'),
    ]

    operations = [
        # the search joins each full-text match to its document and page number: with the page
        # number in the narrow index, SQLite never reads the wide page rows (text) to do it
        migrations.RemoveIndex(model_name='page', name='documents_page_cover'),
        migrations.AddIndex(
            model_name='page',
            index=models.Index(fields=['id', 'document', 'number'], name='documents_page_cover_nr'),
        ),
        PhrasePairIndex(),
    ]
