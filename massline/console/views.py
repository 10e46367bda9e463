from django.http import HttpResponse


def home(request):
    return HttpResponse("")


events = section_list = section_new = section_edit = section_delete = staff_password = home
